"""Long text wraps and flows onto new pages; tables split with their header repeated."""

from __future__ import annotations

from audit.notices import demo
from audit.notices.models import NoticeType
from audit.notices.render import render_notice
from tests.unit.notices.pdftools import pdftotext


def test_table_splits_with_repeated_header() -> None:
    base = demo.rectification(long=False)
    findings = [
        f.model_copy(update={"item": f"检查项目第{i}项"})
        for i in range(1, 31)
        for f in base.findings[:1]
    ]
    content = base.model_copy(update={"findings": findings})
    out = render_notice(NoticeType.rectification, demo.demo_meta(NoticeType.rectification), content)
    assert out.pages >= 3
    page2 = pdftotext(out.pdf, first=2, last=2)
    # the header row is repeated on the continuation page, and rows continue there
    for header in ("序号", "检查项目", "违反规定", "整改要求"):
        assert header in page2, header
    assert "检查项目第" in page2
    everything = pdftotext(out.pdf)
    for i in (1, 15, 30):
        assert f"检查项目第{i}项" in everything
    # the signature block ends up on the last page
    assert out.sig_page == out.pages - 1


def test_long_paragraph_wraps_onto_next_page() -> None:
    sentence = "本段文字用于检验长文本自动换行并在页面之间连续排版。"
    intro = sentence * 120 + "结束标记甲乙丙。"
    content = demo.rectification(long=False).model_copy(update={"intro": intro})
    out = render_notice(NoticeType.rectification, demo.demo_meta(NoticeType.rectification), content)
    assert out.pages >= 2
    text = pdftotext(out.pdf).replace("\n", "")
    assert "结束标记甲乙丙" in text
    # no line runs off the page: every line pdftotext sees is shorter than the text width
    longest = max(len(line) for line in pdftotext(out.pdf, first=1, last=1).splitlines())
    assert longest < 60
