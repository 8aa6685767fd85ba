"""Every notice type renders with an embedded CJK font whose text pdftotext reads back."""

from __future__ import annotations

import pytest

from audit.notices import demo
from audit.notices.models import TITLES, NoticeType, format_number
from audit.notices.render import render_notice
from tests.unit.notices.pdftools import pdftotext

EXPECTED = {
    NoticeType.rectification: ["检查发现的问题及整改要求", "三声振铃", "2026年12月23日前完成整改"],
    NoticeType.self_inspection: ["宽带故障报修后长期无人处理", "SS-2026-10-0311", "自查报告"],
    NoticeType.findings_report: ["逐项检查结果", "无声电话处理", "接通率"],
    NoticeType.public_notice: ["示例移动", "排名", "综合得分", "2026年第三季度"],
    NoticeType.closing_letter: ["逐项复查结论", "整改完成,复查合格", "2026年12月18日", "予以销号"],
    NoticeType.overdue_followup: ["逾期未整改的问题", "第二十一条", "2027年1月8日前完成整改"],
}


@pytest.mark.parametrize("ntype", list(NoticeType))
def test_type_renders_readable_chinese(ntype: NoticeType) -> None:
    number = format_number(ntype, 2026, 7)
    meta = demo.demo_meta(ntype, number=number, token="tok-render-1")
    out = render_notice(ntype, meta, demo.demo_content(ntype))
    assert out.pdf.startswith(b"%PDF-")
    text = pdftotext(out.pdf)
    assert TITLES[ntype] in text
    assert number.replace("〔", "").replace("〕", "")[:2] in text
    assert "〔2026〕第0007号" in text
    assert meta.addressee in text
    assert demo.AUTHORITY in text
    assert f"第1页/共{out.pages}页" in text.replace(" ", "")  # pdftotext drops CJK spacing
    assert "https://" in meta.verify_url or "http://" in meta.verify_url
    assert meta.verify_url in text
    flat = "".join(text.split())  # lines wrap anywhere in CJK text
    for phrase in EXPECTED[ntype]:
        assert "".join(phrase.split()) in flat, phrase


def test_font_is_embedded() -> None:
    ntype = NoticeType.self_inspection
    out = render_notice(ntype, demo.demo_meta(ntype), demo.demo_content(ntype))
    # an embedded TrueType subset has a FontFile2 stream; a CID font like STSong has none
    assert b"/FontFile2" in out.pdf


def test_dev_key_footer_marks_test() -> None:
    ntype = NoticeType.rectification
    meta = demo.demo_meta(ntype, test_key=True)
    text = pdftotext(render_notice(ntype, meta, demo.rectification(long=False)).pdf)
    assert "TEST — not valid for enforcement" in text
    meta_real = demo.demo_meta(ntype, test_key=False)
    text_real = pdftotext(render_notice(ntype, meta_real, demo.rectification(long=False)).pdf)
    assert "not valid for enforcement" not in text_real
