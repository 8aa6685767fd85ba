"""Page furniture shared by all notice types: letterhead, page x/y, styles, signature block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from audit.notices.celltext import CellText
from audit.notices.fit import fit_url
from audit.notices.fonts import FONT_BOLD, register_fonts
from audit.notices.models import NoticeMeta
from audit.notices.qr import draw_qr

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
RED = colors.HexColor("#c00000")
SIG_W, SIG_H = 200.0, 64.0  # the visible signature's box, in points
QR_SIZE, TEXT_X, URL_GAP = 70.0, 76.0, 8.0  # QR square; verification text start; gap to the box

TEST_FOOTER = "测试证书签名 — TEST — not valid for enforcement"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    right: ParagraphStyle
    small: ParagraphStyle


def make_styles() -> Styles:
    font = register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=11.5,
        leading=19,
        alignment=TA_JUSTIFY,
        firstLineIndent=23,
        wordWrap="CJK",
        spaceAfter=4,
    )
    return Styles(
        body=body,
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=20,
            leading=28,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=6,
            spaceAfter=12,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=12.5,
            firstLineIndent=0,
            spaceBefore=8,
            spaceAfter=4,
        ),
        cell=ParagraphStyle(
            "cell",
            parent=body,
            fontSize=8.5,
            leading=11.5,
            firstLineIndent=0,
            alignment=0,
            spaceAfter=0,
        ),
        cell_head=ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=8.5,
            leading=11.5,
            firstLineIndent=0,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
        small=ParagraphStyle(
            "small",
            parent=body,
            fontSize=8,
            leading=10,
            firstLineIndent=0,
            alignment=0,
            spaceAfter=0,
        ),
    )


def esc(text: str) -> str:
    """Escape user text for reportlab's paragraph mini-markup; keep line breaks."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    )


def data_table(header: list[str], rows: list[list[str]], widths: list[float], st: Styles) -> Table:
    """A table whose rows wrap, that splits across pages and repeats its header row."""
    font, size, lead = st.cell.fontName, st.cell.fontSize, st.cell.leading
    data: list[list[Any]] = [[CellText(h, font, size, lead, "centre") for h in header]]
    data += [[CellText(str(c), font, size, lead) for c in row] for row in rows]
    total = sum(widths)
    avail = PAGE_W - 2 * MARGIN_X
    col_w = [w * avail / total for w in widths]
    t = Table(data, colWidths=col_w, repeatRows=1, splitByRow=True)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


@dataclass
class SigPlacement:
    """Where the signature block landed: 0-based page index and box in PDF points."""

    page: int = -1
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


class SignatureBlock(Flowable):
    """QR + verification hint on the left, authority + date + the empty signature box right.

    Draw records the absolute position of the box so the signer can put the visible
    signature field exactly there.
    """

    def __init__(self, meta: NoticeMeta, st: Styles, placement: SigPlacement) -> None:
        super().__init__()
        self.meta = meta
        self.st = st
        self.placement = placement
        self.height = SIG_H + 64

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        c = self.canv
        font = self.st.body.fontName
        right = self.width
        x1 = right - SIG_W
        draw_qr(c, self.meta.verify_url, 0, 0, QR_SIZE)
        c.setFont(font, 7.5)
        c.drawString(TEXT_X, 62, "扫码或访问以下地址核验本文书真伪:")
        c.drawString(TEXT_X, 52, f"文书编号:{self.meta.number}")
        # the URL, whole, left of the signature box: never cut, never broken inside the token
        size, lines = fit_url(self.meta.verify_url, font, x1 - URL_GAP - TEXT_X)
        c.setFont(font, size)
        y = 42.0
        for line in lines:
            c.drawString(TEXT_X, y, line)
            y -= size + 2
        c.setFont(font, 12)
        c.drawRightString(right, self.height - 16, self.meta.authority)
        c.drawRightString(right, self.height - 34, cn_date(self.meta.issue_date))
        c.setStrokeColor(colors.HexColor("#999999"))
        c.setDash(2, 2)
        c.rect(x1, 0, SIG_W, SIG_H, stroke=1, fill=0)
        c.setDash()
        ax, ay = c.absolutePosition(x1, 0)
        self.placement.page = c.getPageNumber() - 1
        self.placement.box = (ax, ay, ax + SIG_W, ay + SIG_H)


def signature_block(meta: NoticeMeta, st: Styles, placement: SigPlacement) -> KeepTogether:
    return KeepTogether([SignatureBlock(meta, st, placement)])


@dataclass
class PageDecor:
    meta: NoticeMeta
    font: str
    extra: dict[str, str] = field(default_factory=dict)

    def first_page(self, c: Canvas, _doc: Any) -> None:
        c.saveState()
        c.setFillColor(RED)
        c.setFont(FONT_BOLD, 24)
        c.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN_TOP + 2, self.meta.letterhead)
        c.setFont(self.font, 12)
        c.setFillColor(colors.black)
        c.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN_TOP - 22, self.meta.number)
        c.setStrokeColor(RED)
        c.setLineWidth(1.5)
        y = PAGE_H - MARGIN_TOP - 32
        c.line(MARGIN_X, y, PAGE_W - MARGIN_X, y)
        c.restoreState()

    def later_page(self, c: Canvas, _doc: Any) -> None:
        c.saveState()
        c.setFont(self.font, 8)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(MARGIN_X, PAGE_H - 12 * mm, self.meta.letterhead)
        c.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 12 * mm, self.meta.number)
        c.setStrokeColor(colors.HexColor("#999999"))
        c.line(MARGIN_X, PAGE_H - 13.5 * mm, PAGE_W - MARGIN_X, PAGE_H - 13.5 * mm)
        c.restoreState()


def numbered_canvas(meta: NoticeMeta, font: str) -> type[Canvas]:
    """A canvas class that defers pages so the footer can say 第 x 页 / 共 y 页."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setFont(font, 8.5)
            self.setFillColor(colors.black)
            self.drawCentredString(PAGE_W / 2, 10 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            if meta.test_key:
                self.setFillColor(RED)
                self.drawString(MARGIN_X, 10 * mm, TEST_FOOTER)
            self.restoreState()

    return NumberedCanvas
