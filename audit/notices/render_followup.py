"""Story builders of the notices that follow a rectification notice: the closing letter
(整改复查意见书, every finding closed) and the overdue follow-up (逾期未整改督办通知书)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph

from audit.notices.layout import Styles, cn_date, data_table, esc
from audit.notices.models import ClosingLetterContent, NoticeMeta, OverdueFollowupContent


def _p(text: str, st: Any) -> Paragraph:
    return Paragraph(esc(text), st)


def closing_letter(meta: NoticeMeta, c: ClosingLetterContent, st: Styles) -> list[Any]:
    rows = [
        [str(i), f.item, f.outcome, cn_date(f.closed_on), f.basis]
        for i, f in enumerate(c.findings, 1)
    ]
    return [
        _p(
            f"我局于{cn_date(c.notice_date)}向你单位发出《{c.notice_ref}》。依据《电信服务质量监督"
            "抽查规定》第八条,我局对你单位报告的整改情况进行了复查,现将复查意见通知如下。",
            st.body,
        ),
        _p("一、逐项复查结论", st.heading),
        data_table(
            ["序号", "检查发现的问题", "复查结论", "销号日期", "复查方式"],
            rows,
            [5, 30, 16, 12, 24],
            st,
        ),
        _p("二、复查意见", st.heading),
        _p(c.conclusion, st.body),
    ]


def overdue_followup(meta: NoticeMeta, c: OverdueFollowupContent, st: Styles) -> list[Any]:
    rows = [[str(i), f.item, cn_date(f.deadline), f.status] for i, f in enumerate(c.findings, 1)]
    return [
        _p(
            f"我局于{cn_date(c.notice_date)}向你单位发出《{c.notice_ref}》,责令限期整改。截至整改"
            "期限届满,下列问题仍未按要求整改或报告整改情况。",
            st.body,
        ),
        _p("一、逾期未整改的问题", st.heading),
        data_table(["序号", "检查发现的问题", "整改期限", "现状"], rows, [5, 45, 14, 22], st),
        _p("二、督办要求及法律后果", st.heading),
        _p(
            f"请你单位于{cn_date(c.new_deadline)}前完成整改并书面报告我局。{c.consequence}",
            st.body,
        ),
    ]
