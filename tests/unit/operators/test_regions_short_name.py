"""short_name(): unit suffixes and ethnic-group words come off, the place name stays."""

import pytest

from audit.domain.operators.regions import load_regions, short_name


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("杭州市", "杭州"),
        ("浙江省", "浙江"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("宁夏回族自治区", "宁夏"),
        ("香港特别行政区", "香港"),
        ("延边朝鲜族自治州", "延边"),
        ("恩施土家族苗族自治州", "恩施"),
        ("海西蒙古族藏族自治州", "海西"),
        ("博尔塔拉蒙古自治州", "博尔塔拉"),
        ("克孜勒苏柯尔克孜自治州", "克孜勒苏"),
        ("伊犁哈萨克自治州", "伊犁"),
        ("大兴安岭地区", "大兴安岭"),
        ("锡林郭勒盟", "锡林郭勒"),
    ],
)
def test_examples(full: str, short: str) -> None:
    assert short_name(full) == short


UNIT_TAILS = ("族", "自治", "自治州", "市", "省", "地区", "盟")


def test_every_shipped_short_name_is_clean() -> None:
    for rec in load_regions():
        assert len(rec.short_name) >= 2, rec
        assert not rec.short_name.endswith(UNIT_TAILS), rec
        assert rec.name.startswith(rec.short_name), rec
