"""Chart code: Wilson intervals and the same Drawing rendering to PDF and SVG."""

from __future__ import annotations

import pytest

from audit.notices import charts


def test_wilson_known_values() -> None:
    lo, hi = charts.wilson_interval(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-4)
    assert hi == pytest.approx(0.9433, abs=1e-4)
    assert charts.wilson_interval(0, 0) == (0.0, 1.0)
    lo, hi = charts.wilson_interval(10, 10)
    assert hi == pytest.approx(1.0) and lo < 1.0


def test_wilson_rejects_bad_counts() -> None:
    with pytest.raises(ValueError, match="k=11 n=10"):
        charts.wilson_interval(11, 10)


def test_charts_render_to_svg_with_chinese() -> None:
    svg = charts.to_svg(charts.rate_chart([("热线", 9, 10), ("在线", 5, 8)]))
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "热线" in svg
    svg = charts.to_svg(charts.histogram([3, 5, 8, 13, 21, 40], threshold=15))
    assert "限值 15 秒" in svg and "n = 6" in svg
    svg = charts.to_svg(
        charts.hbar_chart([("甲", 88.5), ("乙", 70.0)], title="综合得分", unit="分")
    )
    assert "88.5分" in svg


def test_empty_data_says_no_data() -> None:
    assert "无数据" in charts.to_svg(charts.rate_chart([]))
    assert "无数据" in charts.to_svg(charts.histogram([]))
