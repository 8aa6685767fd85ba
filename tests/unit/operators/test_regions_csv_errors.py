"""parse_regions(): a malformed data file fails with the line named, nothing is skipped."""

import pytest

from audit.domain.operators.regions import RegionDataError, parse_regions

HEADER = "code,name,province_code,province_name,level"
ZJ = "330000,浙江省,330000,浙江省,province"
HZ = "330100,杭州市,330000,浙江省,prefecture"


def test_good_file_with_comments() -> None:
    recs = parse_regions(["# source: test", HEADER, ZJ, HZ])
    assert [(r.code, r.level, r.short_name) for r in recs] == [
        ("330000", "province", "浙江"),
        ("330100", "prefecture", "杭州"),
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "no header"),
        (["code,name", ZJ], "line 1: header"),
        ([HEADER, ZJ, "33010,杭州市,330000,浙江省,prefecture"], "line 3: code '33010'"),
        ([HEADER, ZJ, HZ, HZ], "line 4: code 330100 repeats line 3"),
        ([HEADER, ZJ, "330100,杭州市,330000,浙江省,city"], "line 3: level 'city'"),
        ([HEADER, HZ], "line 2: province 330000 '浙江省' not listed"),
        ([HEADER, ZJ, "330100,杭州市,320000,浙江省,prefecture"], "line 3: province_code 320000"),
        (
            [HEADER, ZJ, "330106,西湖区,330000,浙江省,prefecture"],
            "line 3: 330106 is not a prefecture",
        ),
        ([HEADER, "330000,浙江省,320000,浙江省,province"], "line 2: province row"),
        ([HEADER, ZJ, "330100,,330000,浙江省,prefecture"], "line 3: name is empty"),
        ([HEADER, ZJ, "330100,杭州市,330000"], "line 3: 3 fields"),
        (["# c", HEADER, ZJ, "330100,杭州市,330000,浙江省,x"], "line 4: level"),
    ],
)
def test_errors_name_the_line(lines: list[str], message: str) -> None:
    with pytest.raises(RegionDataError, match=message):
        parse_regions(lines)
