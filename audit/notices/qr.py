"""QR code for the public verification URL, drawn as vectors (no raster image in the PDF).

segno computes the matrix. Its automatic mask choice scores all eight masks (~4 ms a code);
any mask is valid for readers, so we fix mask 0 (~0.8 ms) — it matters at 25+ notices/s.
"""

from __future__ import annotations

import segno
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas


def qr_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """Module count and the dark horizontal runs as (row, start column, length)."""
    if not url:
        raise ValueError("qr url: must not be empty")
    code = segno.make(url, error="m", micro=False, mask=0)
    runs: list[tuple[int, int, int]] = []
    matrix = code.matrix
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(matrix), runs


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float, border: int = 2) -> None:
    """Draw the code with its lower-left corner at (x, y) as one filled path."""
    n, runs = qr_runs(url)
    cell = size / (n + 2 * border)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for r, start, length in runs:
        path.rect(
            x + (border + start) * cell, y + size - (border + r + 1) * cell, length * cell, cell
        )
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def qr_drawing(url: str, size: float = 72.0, border: int = 2) -> Drawing:
    """The same code as a reportlab Drawing (renders to SVG for the web)."""
    n, runs = qr_runs(url)
    cell = size / (n + 2 * border)
    d = Drawing(size, size)
    d.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for r, start, length in runs:
        d.add(
            Rect(
                (border + start) * cell,
                size - (border + r + 1) * cell,
                length * cell,
                cell,
                fillColor=colors.black,
                strokeColor=None,
                strokeWidth=0,
            )
        )
    return d
