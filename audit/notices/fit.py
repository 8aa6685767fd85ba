"""Fitting identifiers into a width without breaking them (URLs, tokens, evidence numbers).

A verification URL or an evidence number split across lines is misread (and ``-`` at a line
end reads as a hyphenation), so these are laid out whole: shrink the font first, break only at
safe points (after ``/``, ``?``, ``&``), and never inside the last path segment (the token).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reportlab.pdfbase.pdfmetrics import stringWidth

MIN_SIZE = 5.0  # pt: still legible in print (≈ 1.8 mm)
SINGLE_LINE_MIN = 6.0  # below this, breaking at a safe point reads better than shrinking
# break after / ? & — but not inside "://" — never inside a path segment
_SAFE_BREAK = re.compile(r"(?<=[?&])|(?<=[^/:]/)(?!/)")


def _sizes(largest: float, smallest: float, step: float = 0.25) -> Iterator[float]:
    size = largest
    while size >= smallest - 1e-9:
        yield round(size, 2)
        size -= step


def _safe_lines(url: str, font: str, size: float, width: float) -> list[str] | None:
    """Greedy lines broken after / ? & only; None when a piece does not fit."""
    lines: list[str] = []
    line = ""
    for piece in (p for p in _SAFE_BREAK.split(url) if p):
        if stringWidth(piece, font, size) > width:
            return None
        if line and stringWidth(line + piece, font, size) > width:
            lines.append(line)
            line = piece
        else:
            line += piece
    if line:
        lines.append(line)
    return lines


def _hard_lines(url: str, font: str, size: float, width: float) -> list[str]:
    """Last resort: the host part broken by characters, the token kept whole on its line."""
    head, sep, token = url.rpartition("/")
    lines: list[str] = []
    line = ""
    for ch in head + sep:
        if line and stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    lines += [line, token] if line else [token]
    return [x for x in lines if x]


def fit_url(
    url: str, font: str, width: float, size: float = 7.5, min_size: float = MIN_SIZE
) -> tuple[float, list[str]]:
    """(font size, lines) for ``url`` in ``width`` points: one line if it fits at a readable
    size, else broken at safe points, shrinking down to ``min_size``."""
    for s in _sizes(size, max(SINGLE_LINE_MIN, min_size)):
        if stringWidth(url, font, s) <= width:
            return s, [url]
    for s in _sizes(size, min_size):
        lines = _safe_lines(url, font, s, width)
        if lines is not None:
            return s, lines
    token = url.rpartition("/")[2]
    s = min_size
    while s > 1 and stringWidth(token, font, s) > width:  # a token never breaks: shrink it
        s -= 0.25
    return s, _hard_lines(url, font, s, width)
