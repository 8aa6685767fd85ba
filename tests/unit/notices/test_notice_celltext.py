"""Table cells wrap to their width, keep Latin words whole, and obey simple 禁则."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from audit.notices.celltext import CellText, wrap_text
from audit.notices.fonts import register_fonts


def test_lines_fit_and_nothing_is_lost() -> None:
    font = register_fonts()
    text = "坐席仅问候一次即挂机,未按规定重复问候三次、每次间隔 5 秒 EV-2026-0113 结束"
    lines = wrap_text(text, font, 9, 60)
    assert len(lines) > 3
    assert all(stringWidth(line, font, 9) <= 60 + 9 for line in lines)  # ≤ one overhang glyph
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_latin_word_moves_whole() -> None:
    font = register_fonts()
    lines = wrap_text("检查编号 INS-0042 已提交", font, 10, 70)
    assert any("INS-0042" in line for line in lines)


def test_no_line_starts_with_closing_punctuation() -> None:
    font = register_fonts()
    for width in range(30, 120, 7):
        for line in wrap_text("甲乙丙丁,戊己庚辛。壬癸子丑、寅卯辰巳;午未申酉", font, 10, width)[
            1:
        ]:
            assert line[:1] not in ",。、;", (width, line)


def test_explicit_newlines_and_height() -> None:
    font = register_fonts()
    cell = CellText("第一行\n第二行", font, 9, 12)
    w, h = cell.wrap(200, 1000)
    assert w == 200 and h == 24
