"""Bar charts for the statistics pages: proportions with their 95 % interval (one row per
venue, week or item) and a histogram. Pure functions: figures and translated words in,
SVG markup out (presentation attributes only; no ``style=``, which the CSP forbids)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 800
ROW = 26
LABEL_W = 220
VALUE_W = 150
BAR_COLOUR = "#2e90fa"
TEXT = "#1d2939"


@dataclass(frozen=True)
class RateRow:
    label: str
    rate: float | None  # None: no observation
    low: float
    high: float
    count: int
    n: int


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _svg_open(height: float, title: str, desc: str, key: str, cls: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="100%" role="img" aria-labelledby="{key}-t {key}-d">',
        f'<title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
    ]


def interval_chart(
    rows: Sequence[RateRow], *, title: str, desc: str, key: str, no_data: str
) -> Markup:
    """One horizontal bar per row (the rate), the Wilson interval as a whisker, and
    "rate [low–high] count/n" beside it."""
    height = 24 + ROW * max(len(rows), 1) + 20
    span = WIDTH - LABEL_W - VALUE_W - 10
    parts = _svg_open(height, title, desc, key, "interval-chart")
    for pct in (0, 0.25, 0.5, 0.75, 1.0):
        x = LABEL_W + span * pct
        parts.append(
            f'<line x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="{height - 18:.0f}" stroke="#d0d5dd"'
            ' stroke-width="0.5"/>'
            f'<text x="{x:.1f}" y="{height - 4:.0f}" font-size="11" text-anchor="middle"'
            f' fill="{TEXT}">{int(pct * 100)}%</text>'
        )
    for i, r in enumerate(rows):
        y = 20 + i * ROW
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 14}" font-size="12" text-anchor="end"'
            f' fill="{TEXT}">{escape(r.label[:32])}</text>'
        )
        if r.rate is None:
            parts.append(
                f'<text x="{LABEL_W + 4}" y="{y + 14}" font-size="12" fill="{TEXT}">'
                f"{escape(no_data)}</text>"
            )
            continue
        w = span * r.rate
        parts.append(
            f'<rect class="bar" data-rate="{r.rate:.6f}" x="{LABEL_W}" y="{y + 3}"'
            f' width="{max(w, 0.5):.1f}" height="{ROW - 10}" fill="{BAR_COLOUR}"/>'
        )
        lo, hi = LABEL_W + span * r.low, LABEL_W + span * r.high
        mid = y + 3 + (ROW - 10) / 2
        parts.append(
            f'<line class="interval" x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}"'
            f' stroke="{TEXT}" stroke-width="1.5"/>'
            f'<line x1="{lo:.1f}" y1="{mid - 5:.1f}" x2="{lo:.1f}" y2="{mid + 5:.1f}"'
            f' stroke="{TEXT}"/>'
            f'<line x1="{hi:.1f}" y1="{mid - 5:.1f}" x2="{hi:.1f}" y2="{mid + 5:.1f}"'
            f' stroke="{TEXT}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - VALUE_W}" y="{y + 14}" font-size="12" fill="{TEXT}">'
            f"{_pct(r.rate)} [{_pct(r.low)}–{_pct(r.high)}] {r.count}/{r.n}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def histogram(bins: Sequence[tuple[str, int]], *, title: str, desc: str, key: str) -> Markup:
    """Vertical bars, one per bin (label, count)."""
    height = 220
    top, bottom = 20, height - 40
    n = max(len(bins), 1)
    slot = (WIDTH - 40) / n
    peak = max([c for _, c in bins] or [0]) or 1
    parts = _svg_open(height, title, desc, key, "histogram")
    parts.append(f'<line x1="20" y1="{bottom}" x2="{WIDTH - 20}" y2="{bottom}" stroke="#667085"/>')
    for i, (label, count) in enumerate(bins):
        h = (bottom - top) * count / peak
        x = 20 + i * slot + slot * 0.15
        parts.append(
            f'<rect class="bin" data-count="{count}" x="{x:.1f}" y="{bottom - h:.1f}"'
            f' width="{slot * 0.7:.1f}" height="{max(h, 0):.1f}" fill="{BAR_COLOUR}"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{bottom - h - 4:.1f}" font-size="12"'
            f' text-anchor="middle" fill="{TEXT}">{count}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{bottom + 16}" font-size="11"'
            f' text-anchor="middle" fill="{TEXT}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
