"""A fast wrapping text flowable for table cells.

reportlab's Paragraph parses markup and re-wraps each cell on every pass; a notice's findings
table made two thirds of the render time. Cells hold plain text, so a greedy line breaker
with cached glyph widths does the same job at a fraction of the cost (bench/notice_throughput).
Breaks anywhere between CJK characters, keeps Latin words and numbers whole when they fit,
and never starts a line with closing punctuation (simple 禁则).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from audit.notices.fit import MIN_SIZE

NO_LINE_START = set("，。、；：？！）》」』】〕”’,.;:?!)]}%")


@lru_cache(maxsize=65536)
def _char_width(ch: str, font: str, size: float) -> float:
    return float(stringWidth(ch, font, size))


def _is_wordish(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./:%")


_WORD = re.compile(r"[A-Za-z0-9\-_./:%]+")


def fitting_size(text: str, font: str, size: float, width: float) -> float:
    """The largest size ≤ ``size`` (≥ MIN_SIZE) at which the widest identifier fits ``width``."""
    widest = max(
        (sum(_char_width(c, font, size) for c in w) for w in _WORD.findall(text)), default=0.0
    )
    if widest <= width:
        return size
    return max(MIN_SIZE, math.floor(20 * size * width / widest) / 20)


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` (explicit newlines kept)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        last_break = -1  # index in ``line`` after which a break is allowed
        for ch in para:
            w = _char_width(ch, font, size)
            if used + w > width and line and ch not in NO_LINE_START:
                if _is_wordish(ch) and 0 < last_break < len(line):
                    # move the unfinished Latin word to the next line
                    carry = line[last_break:]
                    lines.append("".join(line[:last_break]).rstrip())
                    line = carry
                    used = sum(_char_width(c, font, size) for c in line)
                else:
                    lines.append("".join(line).rstrip())
                    line, used = [], 0.0
                if ch == " " and not line:
                    last_break = -1
                    continue
            line.append(ch)
            used += w
            if not _is_wordish(ch):
                last_break = len(line)
        lines.append("".join(line).rstrip())
    return lines


class CellText(Flowable):
    """Plain text that wraps to the cell width; ``align`` is left or centre."""

    def __init__(
        self, text: str, font: str, size: float, leading: float, align: str = "left"
    ) -> None:
        super().__init__()
        self.text = text
        self.font = font
        self.size = size
        self.leading = leading
        self.align = align
        self._for_width = -1.0
        self._lines: list[str] = []
        self._size = size
        self._leading = leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._for_width:
            # an identifier (evidence number, URL) wider than the cell shrinks the cell's
            # text rather than breaking mid-identifier
            self._size = fitting_size(self.text, self.font, self.size, max(availWidth, 1.0))
            self._leading = self.leading * self._size / self.size
            self._lines = wrap_text(self.text, self.font, self._size, max(availWidth, self._size))
            self._for_width = availWidth
        self.width = availWidth
        self.height = self._leading * len(self._lines)
        return availWidth, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(self.font, self._size)
        y = self.height - self._size
        for line in self._lines:
            if self.align == "centre":
                c.drawCentredString(self.width / 2, y, line)
            else:
                c.drawString(0, y, line)
            y -= self._leading
