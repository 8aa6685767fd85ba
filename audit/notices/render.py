"""Render a notice to PDF bytes (reportlab platypus, A4, embedded CJK font).

``render_notice(notice_type, meta, content)`` returns the PDF and where the signature block
landed, so ``sign.py`` can put the visible signature into that box.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

from audit.notices import charts, render_followup, render_report
from audit.notices.fonts import register_fonts
from audit.notices.layout import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    PageDecor,
    SigPlacement,
    Styles,
    cn_date,
    data_table,
    esc,
    make_styles,
    numbered_canvas,
    signature_block,
)
from audit.notices.models import (
    CONTENT_MODELS,
    SEVERITY_LABELS,
    TITLES,
    FindingsReportContent,
    NoticeMeta,
    NoticeType,
    PublicNoticeContent,
    RectificationContent,
    SelfInspectionContent,
)

# Binary streams: ASCII85-encoding every compressed stream (reportlab's default) costs CPU
# and a quarter more bytes, and no PDF reader needs it.
rl_config.useA85 = 0

KEYWORD_PREFIX = "notice-token:"
RESULT_LABELS = {"pass": "符合", "fail": "不符合", "na": "不适用"}


@dataclass(frozen=True)
class RenderedNotice:
    pdf: bytes
    pages: int
    sig_page: int  # 0-based page index of the signature box
    sig_box: tuple[float, float, float, float]


def _p(text: str, st: Any) -> Paragraph:
    return Paragraph(esc(text), st)


def _rectification(meta: NoticeMeta, c: RectificationContent, st: Styles) -> list[Any]:
    intro = c.intro or (
        f"我局于{c.inspected_on}对你单位的客户服务质量进行了监督抽查(检查编号:"
        f"{c.inspection_ref})。依据《电信服务质量监督抽查规定》第八条,现将检查发现的问题通知"
        "如下,请你单位按要求整改。"
    )
    rows = [
        [
            str(i),
            f.item,
            SEVERITY_LABELS.get(f.severity, f.severity),
            f.measured,
            f.rule,
            "、".join(f.evidence_refs) or "—",
            f.rectification + (f"(整改期限:{cn_date(f.deadline)})" if f.deadline else ""),
        ]
        for i, f in enumerate(c.findings, 1)
    ]
    return [
        _p(intro, st.body),
        _p("一、检查发现的问题及整改要求", st.heading),
        data_table(
            ["序号", "检查项目", "问题等级", "实测情况", "违反规定", "证据编号", "整改要求"],
            rows,
            [4, 14, 7, 14, 16, 10, 18],
            st,
        ),
        _p("二、整改期限", st.heading),
        _p(f"请于{cn_date(c.deadline)}前完成整改。{c.reply_instructions}", st.body),
    ]


def _self_inspection(meta: NoticeMeta, c: SelfInspectionContent, st: Styles) -> list[Any]:
    rows = [
        [str(i), x.id, cn_date(x.date), x.summary or "—"] for i, x in enumerate(c.complaints, 1)
    ]
    return [
        _p(
            f"经统计,{c.region}地区近一个月内因“{c.issue}”问题引起的用户申诉共{len(c.complaints)}件"
            f"(触发编号:{c.trigger_ref})。{c.basis}",
            st.body,
        ),
        _p("一、相关用户申诉", st.heading),
        data_table(["序号", "申诉编号", "申诉日期", "摘要"], rows, [5, 18, 14, 50], st),
        _p("二、自查要求", st.heading),
        _p(
            f"请你单位立即对上述问题开展自查,查明原因、落实整改,并于{cn_date(c.deadline)}前将"
            "自查报告(含问题原因、整改措施及完成时间)报送我局。",
            st.body,
        ),
    ]


def _findings_report(meta: NoticeMeta, c: FindingsReportContent, st: Styles) -> list[Any]:
    rows = [
        [
            str(i),  # a sequence number: item codes are ours, not the reader's
            x.title,
            x.basis or "—",
            RESULT_LABELS.get(x.result, x.result),
            "—"
            if x.score is None
            else f"{x.score:g}" + ("" if x.max_score is None else f" / {x.max_score:g}"),
            x.note or "—",
        ]
        for i, x in enumerate(c.items, 1)
    ]
    story: list[Any] = [
        _p(
            f"我局按照检查计划({c.plan_ref}),于{c.period}采用{c.method}方式对你单位客户服务"
            f"进行了检查,综合得分 {c.total_score:g} 分。{c.summary}",
            st.body,
        ),
        _p("一、逐项检查结果", st.heading),
        data_table(
            ["序号", "检查项目", "依据", "结论", "得分", "说明"], rows, [5, 24, 26, 7, 8, 20], st
        ),
        _p("二、统计图表", st.heading),
    ]
    if c.answer_rates:
        story.append(charts.rate_chart([(r.label, r.passed, r.total) for r in c.answer_rates]))
        story.append(Spacer(1, 6))
    if c.answer_seconds:
        story.append(charts.histogram(c.answer_seconds, threshold=c.answer_threshold_s))
        story.append(Spacer(1, 6))
    if c.compliance:
        story.append(
            charts.hbar_chart(
                [(r.label, 100.0 * r.passed / r.total if r.total else 0.0) for r in c.compliance],
                title="各项合规率",
            )
        )
    return story


def ranked(rows: PublicNoticeContent) -> list[Any]:
    """Operators by score, best first; ties share a rank (1, 2, 2, 4)."""
    ordered = sorted(rows.rows, key=lambda r: (-(r.score or 0.0), r.operator))
    out: list[Any] = []
    for i, r in enumerate(ordered):
        rank = out[-1][0] if out and out[-1][1].score == r.score else i + 1
        out.append((rank, r))
    return out


def _public_notice(meta: NoticeMeta, c: PublicNoticeContent, st: Styles) -> list[Any]:
    if c.from_data:
        return render_report.public_report(meta, c, st)
    ranking = ranked(c)
    rows = [
        [
            str(rank),
            r.operator,
            str(r.probes),
            f"{100 * r.answered / r.probes:.1f}%" if r.probes else "—",
            "—" if r.mean_answer_s is None else f"{r.mean_answer_s:.1f}",
            f"{100 * r.compliant / r.probes:.1f}%" if r.probes else "—",
            f"{r.score or 0.0:.1f}",
        ]
        for rank, r in ranking
    ]
    return [
        _p(
            f"根据电信服务质量通告制度,现将{c.period}{c.scope}电信服务质量监督抽查结果通告如下。"
            f"{c.summary}",
            st.body,
        ),
        _p("一、各企业检查结果及排名", st.heading),
        data_table(
            ["排名", "企业", "抽测次数", "接通率", "平均接通用时(秒)", "合规率", "综合得分"],
            rows,
            [6, 24, 9, 9, 12, 9, 9],
            st,
        ),
        _p("二、统计图表", st.heading),
        charts.rate_chart([(r.operator, r.answered, r.probes) for _, r in ranking]),
        Spacer(1, 6),
        charts.hbar_chart(
            [(r.operator, r.score or 0.0) for _, r in ranking], title="综合得分", unit="分"
        ),
    ]


_BUILDERS: dict[NoticeType, Callable[[NoticeMeta, Any, Styles], list[Any]]] = {
    NoticeType.rectification: _rectification,
    NoticeType.self_inspection: _self_inspection,
    NoticeType.findings_report: _findings_report,
    NoticeType.public_notice: _public_notice,
    NoticeType.closing_letter: render_followup.closing_letter,
    NoticeType.overdue_followup: render_followup.overdue_followup,
}


def render_notice(
    notice_type: NoticeType | str, meta: NoticeMeta, content: Any, *, compress: bool = True
) -> RenderedNotice:
    """Render one notice. ``content`` is the type's model or a dict validated into it."""
    ntype = NoticeType(notice_type)
    model_cls = CONTENT_MODELS[ntype]
    if not isinstance(content, model_cls):
        content = model_cls.model_validate(content)
    font = register_fonts()
    st = make_styles()
    placement = SigPlacement()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{TITLES[ntype]} {meta.number}",
        author=meta.authority,
        subject=f"{TITLES[ntype]} — {meta.addressee}",
        keywords=f"{KEYWORD_PREFIX}{meta.token}",
        creator="service-quality-audit",
        pageCompression=1 if compress else 0,
    )
    decor = PageDecor(meta, font)
    frame_w = PAGE_W - 2 * MARGIN_X
    first = Frame(
        MARGIN_X, MARGIN_BOTTOM, frame_w, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 38, id="first"
    )
    later = Frame(MARGIN_X, MARGIN_BOTTOM, frame_w, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="later")
    doc.addPageTemplates(
        [
            PageTemplate(
                id="First", frames=[first], onPage=decor.first_page, autoNextPageTemplate="Later"
            ),
            PageTemplate(id="Later", frames=[later], onPage=decor.later_page),
        ]
    )
    story: list[Any] = [_p(TITLES[ntype], st.title)]
    if meta.replaces:
        story.append(_p(f"(本文书更正并替代{meta.replaces})", st.right))
    story += [
        Paragraph(esc(meta.addressee) + ":", st.heading),
        *_BUILDERS[ntype](meta, content, st),
        Spacer(1, 10 * mm),
        signature_block(meta, st, placement),
    ]
    doc.build(story, canvasmaker=numbered_canvas(meta, font))
    if placement.page < 0:  # pragma: no cover - the block is always drawn
        raise RuntimeError("signature block was not placed")
    return RenderedNotice(
        pdf=buf.getvalue(), pages=doc.page, sig_page=placement.page, sig_box=placement.box
    )
