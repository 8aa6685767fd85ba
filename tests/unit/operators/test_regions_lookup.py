"""lookup() and province_of(): every accepted spelling, ambiguity and misses."""

import pytest

from audit.domain.operators.regions import AmbiguousRegionError, lookup, province_of


@pytest.mark.parametrize(
    "query",
    [
        "330100",
        "杭州市",
        "杭州",
        "浙江省杭州市",
        "浙江杭州",
        "浙江省杭州",
        "浙江杭州市",
        " 浙江 杭州",
    ],
)
def test_hangzhou_spellings(query: str) -> None:
    rec = lookup(query)
    assert rec is not None
    assert (rec.code, rec.name, rec.province_code) == ("330100", "杭州市", "330000")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("延边", "222400"),
        ("延边朝鲜族自治州", "222400"),
        ("吉林延边", "222400"),
        ("内蒙古阿拉善", "152900"),
        ("新疆伊犁", "654000"),
        ("广西壮族自治区南宁市", "450100"),
        ("北京", "110000"),
        ("重庆市", "500000"),
        ("香港", "810000"),
        ("８１００００", "810000"),  # full-width digits
        ("浙江", "330000"),
    ],
)
def test_other_forms(query: str, code: str) -> None:
    rec = lookup(query)
    assert rec is not None and rec.code == code


def test_short_name_shared_by_province_and_city_is_ambiguous() -> None:
    with pytest.raises(AmbiguousRegionError, match=r"吉林省 \(220000\), 吉林市 \(220200\)"):
        lookup("吉林")
    with pytest.raises(AmbiguousRegionError, match="海南"):
        lookup("海南")
    city = lookup("吉林市")
    assert city is not None and city.code == "220200"
    assert lookup("吉林省吉林市") == city
    province = lookup("吉林省")
    assert province is not None and province.code == "220000"


@pytest.mark.parametrize("query", ["330106", "999999", "杭州西湖", "江苏杭州", "Hangzhou", "市"])
def test_misses_return_none(query: str) -> None:
    assert lookup(query) is None


def test_empty_input_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        lookup("  ")


def test_province_of() -> None:
    assert province_of("330100").name == "浙江省"
    assert province_of("652300").name == "新疆维吾尔自治区"
    assert province_of("110000").code == "110000"  # municipality is its own province
    assert province_of("440000").code == "440000"


@pytest.mark.parametrize("code", ["330106", "999999", "杭州市", ""])
def test_province_of_unknown_code(code: str) -> None:
    with pytest.raises(ValueError, match="not a known GB/T 2260"):
        province_of(code)
