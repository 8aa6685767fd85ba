"""The shipped GB/T 2260 CSV: complete, consistent, and the audit-region set is what we expect."""

from collections import Counter

from audit.domain.operators.regions import MUNICIPALITY_CODES, audit_regions, load_regions


def test_counts_match_the_2023_edition() -> None:
    # 民政部 2023: 293 地级市 + 7 地区 + 30 自治州 + 3 盟 = 333 prefecture-level divisions;
    # 34 province-level divisions including Taiwan, Hong Kong and Macau.
    records = load_regions()
    levels = Counter(r.level for r in records)
    assert levels == {"province": 34, "prefecture": 333}
    kinds = Counter(
        next(s for s in ("自治州", "地区", "盟", "市") if r.name.endswith(s))
        for r in records
        if r.level == "prefecture"
    )
    assert kinds == {"市": 293, "地区": 7, "自治州": 30, "盟": 3}


def test_codes_are_unique_six_digit_and_point_to_their_province() -> None:
    records = load_regions()
    assert len({r.code for r in records}) == len(records)
    provinces = {r.code: r.name for r in records if r.level == "province"}
    for r in records:
        assert len(r.code) == 6 and r.code.isdigit(), r
        assert r.province_code == r.code[:2] + "0000", r
        assert provinces[r.province_code] == r.province_name, r


def test_known_rows() -> None:
    by_code = {r.code: r for r in load_regions()}
    assert (by_code["330100"].name, by_code["330100"].province_name) == ("杭州市", "浙江省")
    assert by_code["440300"].name == "深圳市"
    assert by_code["652300"].name == "昌吉回族自治州"
    assert by_code["152900"].name == "阿拉善盟"
    assert by_code["460400"].name == "儋州市"  # prefecture-level city without districts
    assert "371200" not in by_code  # 莱芜市, merged into 济南 in 2019
    assert "429000" not in by_code  # 省直辖县级行政区划 is a grouping, not a prefecture


def test_audit_regions_are_prefectures_plus_the_four_municipalities() -> None:
    regions = audit_regions()
    assert len(regions) == 337
    municipalities = {r.code: r.name for r in regions if r.level == "province"}
    assert municipalities == {
        "110000": "北京市",
        "120000": "天津市",
        "310000": "上海市",
        "500000": "重庆市",
    }
    assert set(municipalities) == MUNICIPALITY_CODES
    assert all(r.is_municipality for r in regions if r.level == "province")


def test_hong_kong_macau_taiwan_are_province_level_only() -> None:
    records = load_regions()
    for code in ("810000", "820000", "710000"):
        assert [r.level for r in records if r.province_code == code] == ["province"]
        assert not next(r for r in records if r.code == code).is_region


def test_load_regions_returns_a_fresh_list() -> None:
    first = load_regions()
    first.clear()
    assert len(load_regions()) == 367
