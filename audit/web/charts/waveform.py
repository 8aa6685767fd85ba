"""The picture of a call: the callee channel's waveform with the detected utterances, the
pauses between them, the final wait, and the silent-call rule's bounds marked.

Pure: samples and the stored analysis in, SVG markup out (labels come translated from the
caller). Every mark carries a class (``utterance``, ``pause``, ``bound``, ``final-wait``) so
tests and print styles can find it; colours are presentation attributes, not ``style=``
(the CSP forbids inline styles).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from markupsafe import Markup, escape

WIDTH, HEIGHT = 800, 240
LEFT, RIGHT = 8, 8
WAVE_TOP, WAVE_BOTTOM = 34, 154
BOUNDS_Y = 176  # the row of the rule's bounds
AXIS_Y = 206
COLUMNS = 400


@dataclass(frozen=True)
class Bounds:
    pause_min_s: float
    pause_max_s: float
    final_wait_min_s: float
    repetitions: int


def envelope(samples: npt.NDArray[np.int16], columns: int = COLUMNS) -> list[float]:
    """Peak level per column, 0..1 of the loudest (an empty or silent channel: zeros)."""
    if samples.size == 0:
        return [0.0] * columns
    x = np.abs(samples.astype(np.float64))
    edges = np.linspace(0, x.size, columns + 1).astype(int)
    peaks = [float(x[a:b].max()) if b > a else 0.0 for a, b in itertools.pairwise(edges)]
    top = max(peaks) or 1.0
    return [p / top for p in peaks]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, body: str, *, anchor: str = "middle", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="12" '
        f'fill="#1d2939"{klass}>{escape(body)}</text>'
    )


def waveform_svg(
    peaks: Sequence[float] | None,
    duration_s: float,
    silent: Mapping[str, Any],
    bounds: Bounds,
    labels: Mapping[str, str],
    *,
    start_s: float = 0.0,
) -> Markup:
    """The SVG (``role="img"``, titled) of one call's callee channel.

    ``silent``: the stored silent-call analysis (utterances, pauses_s, final_wait_s);
    ``labels``: translated words ``title``, ``desc``, ``utterance``, ``pause``,
    ``final_wait``, ``allowed``, ``not_judged``, ``seconds``.
    """
    duration = max(float(duration_s), 0.001)
    span = WIDTH - LEFT - RIGHT

    def x_of(t: float) -> float:
        return LEFT + span * min(max(t, 0.0), duration) / duration

    mid = (WAVE_TOP + WAVE_BOTTOM) / 2
    half = (WAVE_BOTTOM - WAVE_TOP) / 2
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="waveform" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="100%" role="img" aria-labelledby="wf-title wf-desc">',
        f'<title id="wf-title">{escape(labels["title"])}</title>',
        f'<desc id="wf-desc">{escape(labels["desc"])}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    if start_s > 0:
        parts.append(
            f'<rect class="not-judged" x="{LEFT}" y="{WAVE_TOP}" width="{x_of(start_s) - LEFT:.1f}"'
            f' height="{WAVE_BOTTOM - WAVE_TOP}" fill="#eaecf0"/>'
        )
        parts.append(_text(LEFT + 2, WAVE_TOP - 4, labels["not_judged"], anchor="start"))
    utterances = list(silent.get("utterances") or [])
    for i, u in enumerate(utterances, start=1):
        a, b = x_of(float(u["start_s"])), x_of(float(u["end_s"]))
        parts.append(
            f'<rect class="utterance" data-start="{u["start_s"]}" data-end="{u["end_s"]}"'
            f' x="{a:.1f}" y="{WAVE_TOP}" width="{max(b - a, 1):.1f}"'
            f' height="{WAVE_BOTTOM - WAVE_TOP}" fill="#d1e9ff" stroke="#1570ef">'
            f"<title>{escape(labels['utterance'])} {i}: {_fmt(u['start_s'])}–"
            f"{_fmt(u['end_s'])} {escape(labels['seconds'])}</title></rect>"
        )
        parts.append(_text((a + b) / 2, WAVE_TOP - 6, f"{labels['utterance']} {i}"))
    if peaks:
        n = len(peaks)
        top = " ".join(
            f"{LEFT + span * (i + 0.5) / n:.1f},{mid - half * p:.1f}" for i, p in enumerate(peaks)
        )
        bottom = " ".join(
            f"{LEFT + span * (i + 0.5) / n:.1f},{mid + half * p:.1f}"
            for i, p in reversed(list(enumerate(peaks)))
        )
        parts.append(
            f'<polygon class="wave" points="{top} {bottom}" fill="#475467" stroke="#475467"'
            ' stroke-width="0.5"/>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{mid}" x2="{WIDTH - RIGHT}" y2="{mid}" stroke="#98a2b3"'
        ' stroke-width="0.5"/>'
    )
    pauses = list(silent.get("pauses_s") or [])
    for i, (u, pause) in enumerate(zip(utterances, pauses, strict=False)):
        end = float(u["end_s"])
        ok = bounds.pause_min_s <= float(pause) <= bounds.pause_max_s
        colour = "#067647" if ok else "#b42318"
        # The rule's window for the next greeting to start in.
        lo, hi = x_of(end + bounds.pause_min_s), x_of(end + bounds.pause_max_s)
        parts.append(
            f'<rect class="bound" x="{lo:.1f}" y="{BOUNDS_Y - 8}" width="{max(hi - lo, 1):.1f}"'
            f' height="8" fill="#fef0c7" stroke="#b54708" stroke-width="0.5">'
            f"<title>{escape(labels['allowed'])}: {_fmt(bounds.pause_min_s)}–"
            f"{_fmt(bounds.pause_max_s)} {escape(labels['seconds'])}</title></rect>"
        )
        a, b = x_of(end), x_of(float(utterances[i + 1]["start_s"]))
        y = BOUNDS_Y + 6
        parts.append(
            f'<line class="pause" data-ok="{str(ok).lower()}" x1="{a:.1f}" y1="{y}" x2="{b:.1f}"'
            f' y2="{y}" stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(_text((a + b) / 2, y + 14, f"{_fmt(float(pause))} {labels['seconds']}"))
    final = silent.get("final_wait_s")
    if utterances and final is not None:
        end = float(utterances[-1]["end_s"])
        ok = float(final) >= bounds.final_wait_min_s
        colour = "#067647" if ok else "#b42318"
        a, b = x_of(end), x_of(duration)
        y = BOUNDS_Y + 6
        parts.append(
            f'<line class="final-wait" data-ok="{str(ok).lower()}" x1="{a:.1f}" y1="{y}"'
            f' x2="{b:.1f}" y2="{y}" stroke="{colour}" stroke-width="2" stroke-dasharray="4 2"/>'
        )
        need = x_of(end + bounds.final_wait_min_s)
        parts.append(
            f'<line class="bound final-bound" x1="{need:.1f}" y1="{WAVE_TOP}" x2="{need:.1f}"'
            f' y2="{BOUNDS_Y}" stroke="#b54708" stroke-dasharray="3 3"/>'
        )
        parts.append(
            _text(min((a + b) / 2, WIDTH - 60), y + 14,
                  f"{labels['final_wait']} {_fmt(float(final))} {labels['seconds']}")
        )  # fmt: skip
    # The time axis, a tick every 5 s (every 10 s for long calls).
    step = 5 if duration <= 90 else 10 if duration <= 240 else 30
    parts.append(
        f'<line x1="{LEFT}" y1="{AXIS_Y}" x2="{WIDTH - RIGHT}" y2="{AXIS_Y}" stroke="#667085"/>'
    )
    t = 0
    while t <= duration + 1e-9:
        x = x_of(t)
        parts.append(
            f'<line x1="{x:.1f}" y1="{AXIS_Y}" x2="{x:.1f}" y2="{AXIS_Y + 5}" stroke="#667085"/>'
        )
        anchor = "start" if t == 0 else "end" if x > WIDTH - 20 else "middle"
        parts.append(_text(x, AXIS_Y + 18, f"{t} {labels['seconds']}", anchor=anchor))
        t += step
    parts.append("</svg>")
    return Markup("".join(parts))
