"""Charts for findings reports and public notices, as reportlab Drawings.

A Drawing goes into a PDF as a flowable and renders to SVG (``to_svg``) for the web, so the
numbers on paper and on screen come from the same code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from audit.notices.fonts import register_fonts

BAR = colors.HexColor("#2f5d8a")
BAD = colors.HexColor("#b03a2e")
GRID = colors.HexColor("#cccccc")


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (95 % by default); (0, 1) when n == 0."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"wilson_interval: need 0 <= k <= n, got k={k} n={n}")
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _frame(width: float, height: float, title: str) -> tuple[Drawing, str]:
    font = register_fonts()
    d = Drawing(width, height)
    d.add(String(0, height - 12, title, fontName=font, fontSize=10))
    return d, font


def _y_axis_percent(d: Drawing, font: str, x0: float, y0: float, w: float, h: float) -> None:
    for pct in (0, 25, 50, 75, 100):
        y = y0 + h * pct / 100
        d.add(Line(x0, y, x0 + w, y, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x0 - 4, y - 3, f"{pct}%", fontName=font, fontSize=7, textAnchor="end"))


def rate_chart(
    rows: Sequence[tuple[str, int, int]],
    title: str = "接通率(95% 置信区间)",
    width: float = 440,
    height: float = 180,
) -> Drawing:
    """Vertical bars of passed/total per label with Wilson 95 % whiskers."""
    d, font = _frame(width, height, title)
    x0, y0, h = 36.0, 28.0, height - 50
    w = width - x0 - 8
    _y_axis_percent(d, font, x0, y0, w, h)
    if not rows:
        d.add(String(x0 + w / 2, y0 + h / 2, "无数据", fontName=font, fontSize=9))
        return d
    slot = w / len(rows)
    bar_w = min(40.0, slot * 0.6)
    for i, (label, k, n) in enumerate(rows):
        cx = x0 + slot * (i + 0.5)
        rate = k / n if n else 0.0
        d.add(Rect(cx - bar_w / 2, y0, bar_w, h * rate, fillColor=BAR, strokeColor=None))
        lo, hi = wilson_interval(k, n)
        d.add(Line(cx, y0 + h * lo, cx, y0 + h * hi, strokeColor=colors.black, strokeWidth=1))
        for y in (lo, hi):
            d.add(Line(cx - 4, y0 + h * y, cx + 4, y0 + h * y, strokeColor=colors.black))
        d.add(String(cx, y0 - 11, label, fontName=font, fontSize=7, textAnchor="middle"))
        d.add(
            String(
                cx,
                y0 - 20,
                f"{rate:.0%} ({k}/{n})",
                fontName=font,
                fontSize=6.5,
                textAnchor="middle",
            )
        )
    return d


def histogram(
    values: Sequence[float],
    threshold: float | None = None,
    title: str = "接通用时分布(秒)",
    bins: int = 10,
    width: float = 440,
    height: float = 170,
) -> Drawing:
    """Histogram of seconds; bars past ``threshold`` in red, with the threshold marked."""
    d, font = _frame(width, height, title)
    x0, y0, h = 36.0, 24.0, height - 46
    w = width - x0 - 8
    if not values:
        d.add(String(x0 + w / 2, y0 + h / 2, "无数据", fontName=font, fontSize=9))
        return d
    lo, hi = 0.0, max(max(values), threshold or 0.0) * 1.05 or 1.0
    step = (hi - lo) / bins
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / step))] += 1
    top = max(counts)
    for c in range(0, top + 1, max(1, math.ceil(top / 4))):
        y = y0 + h * c / top
        d.add(Line(x0, y, x0 + w, y, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x0 - 4, y - 3, str(c), fontName=font, fontSize=7, textAnchor="end"))
    bw = w / bins
    for i, c in enumerate(counts):
        left = lo + i * step
        fill = BAD if threshold is not None and left >= threshold else BAR
        d.add(Rect(x0 + i * bw + 1, y0, bw - 2, h * c / top, fillColor=fill, strokeColor=None))
        d.add(String(x0 + i * bw, y0 - 10, f"{left:.0f}", fontName=font, fontSize=6.5))
    if threshold is not None:
        tx = x0 + w * (threshold - lo) / (hi - lo)
        d.add(Line(tx, y0, tx, y0 + h, strokeColor=BAD, strokeWidth=1, strokeDashArray=[3, 2]))
        d.add(
            String(
                tx + 2,
                y0 + h - 8,
                f"限值 {threshold:g} 秒",
                fontName=font,
                fontSize=7,
                fillColor=BAD,
            )
        )
    d.add(
        String(x0 + w, y0 - 20, f"n = {len(values)}", fontName=font, fontSize=7, textAnchor="end")
    )
    return d


def hbar_chart(
    rows: Sequence[tuple[str, float]],
    title: str,
    maximum: float = 100.0,
    unit: str = "%",
    width: float = 440,
    row_height: float = 16,
) -> Drawing:
    """Horizontal bars (compliance rates, scores), labels on the left, values on the right."""
    height = 24 + row_height * max(1, len(rows)) + 6
    d, font = _frame(width, height, title)
    x0 = 110.0
    w = width - x0 - 50
    for i, (label, value) in enumerate(rows):
        y = height - 24 - row_height * (i + 1) + 3
        frac = 0.0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
        d.add(String(x0 - 6, y + 3, label, fontName=font, fontSize=8, textAnchor="end"))
        d.add(
            Rect(x0, y, w, row_height - 6, fillColor=colors.HexColor("#eeeeee"), strokeColor=None)
        )
        d.add(Rect(x0, y, w * frac, row_height - 6, fillColor=BAR, strokeColor=None))
        d.add(String(x0 + w + 4, y + 3, f"{value:.1f}{unit}", fontName=font, fontSize=8))
    return d


def to_svg(drawing: Drawing) -> str:
    """SVG text of a chart, for the web UI."""
    return str(renderSVG.drawToString(drawing))
