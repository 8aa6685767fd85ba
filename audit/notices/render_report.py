"""The public service-quality notice computed from data (POST /notices/public-report), laid out
as MIIT's quarterly notice: the probes' results per operator, online chat, user complaints by
category with the per-million rate and the change from the previous period, the ranking, and
the supervision actions taken (rectification notices, self-inspection orders)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph, Spacer

from audit.notices import charts
from audit.notices.layout import Styles, data_table, esc
from audit.notices.models import NoticeMeta, OperatorRow, PublicNoticeContent


def _p(text: str, st: Any) -> Paragraph:
    return Paragraph(esc(text), st)


def pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"


def secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def signed(value: float | None, scale: float = 1.0, unit: str = "") -> str:
    return "—" if value is None else f"{scale * value:+.1f}{unit}"


def _order(c: PublicNoticeContent) -> list[OperatorRow]:
    # ranked operators first by rank, the unranked after them by name
    return sorted(c.rows, key=lambda r: (r.rank is None, r.rank or 0, r.operator))


def public_report(meta: NoticeMeta, c: PublicNoticeContent, st: Styles) -> list[Any]:
    rows = _order(c)
    voice = [
        [
            r.operator,
            str(r.probes),
            f"{pct(r.answered / r.probes if r.probes else None)}"
            f"({pct(r.answer_ci_low)}–{pct(r.answer_ci_high)})",
            secs(r.mean_answer_s),
            secs(r.median_answer_s),
            pct(r.service_level),
            pct(r.silent_call),
            pct(r.greeting),
        ]
        for r in rows
    ]
    chat = [[r.operator, str(r.chats), pct(r.first_response), pct(r.chat_items)] for r in rows]
    cats = list(c.categories)
    complaints = [
        [
            r.operator,
            *[str(r.complaints_by_category.get(k, 0)) for k in cats],
            str(r.complaints or 0),
            "—" if r.complaints_per_million is None else f"{r.complaints_per_million:.2f}",
            signed(r.change_per_million),
        ]
        for r in rows
    ]
    ranking = [
        [
            "—" if r.rank is None else str(r.rank),
            r.operator,
            "—" if r.complaints_per_million is None else f"{r.complaints_per_million:.2f}",
            pct(r.answered / r.probes if r.probes else None),
            signed(r.change_answer_rate, 100, " 个百分点"),
        ]
        for r in rows
    ]
    actions = [
        [r.operator, str(r.rectification_notices), str(r.self_inspection_orders)] for r in rows
    ]
    before = f",并与{c.previous_period}进行比较" if c.previous_period else ""
    cat_w = [8.0] * len(cats)
    return [
        _p(
            f"根据电信服务质量通告制度,现将{c.period}{c.scope}电信服务质量监督检查情况通告如下"
            f"(数据来源:拨测记录和用户申诉记录{before})。{c.summary}",
            st.body,
        ),
        _p("一、客服热线拨测情况", st.heading),
        data_table(
            [
                "企业",
                "拨测次数",
                "接通率(95%置信区间)",
                "平均接通用时(秒)",
                "接通用时中位数(秒)",
                f"{c.service_level_s:g}秒内接通率",
                "无声电话处理合规率",
                "问候语合规率",
            ],
            voice,
            [18, 8, 20, 10, 10, 10, 10, 10],
            st,
        ),
        Spacer(1, 4),
        charts.rate_chart([(r.operator, r.answered, r.probes) for r in rows]),
        _p("二、在线客服测试情况", st.heading),
        data_table(
            ["企业", "测试次数", "首次响应及时率", "服务规范项目合规率"], chat, [24, 12, 18, 18], st
        ),
        _p("三、用户申诉情况", st.heading),
        data_table(
            [
                "企业",
                *[c.categories[k] for k in cats],
                "申诉合计",
                "百万用户申诉率",
                "较上期变化",
            ],
            complaints,
            [16, *cat_w, 9, 11, 10],
            st,
        ),
        Spacer(1, 4),
        charts.hbar_chart(
            [(r.operator, r.complaints_per_million or 0.0) for r in rows],
            title="百万用户申诉率",
            maximum=max([r.complaints_per_million or 0.0 for r in rows] + [1.0]),
            unit="",
        ),
        _p("四、排名(按百万用户申诉率由低到高)", st.heading),
        data_table(
            ["排名", "企业", "百万用户申诉率", "接通率", "接通率较上期变化"],
            ranking,
            [8, 24, 14, 12, 16],
            st,
        ),
        _p("五、监管措施", st.heading),
        data_table(["企业", "下发整改通知书(件)", "责令自查(件)"], actions, [30, 16, 16], st),
    ]
