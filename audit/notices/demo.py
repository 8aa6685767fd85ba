"""Demo content for each notice type (CLI ``audit notices demo``, tests, bench).

Rules and phrases come from the seeds via /work/shared/domain.md: three rings (seed 002 §3.4),
silent-call protocol (seed 001 §6.3.4), 45 s first chat response (seed 000), complaint
trigger (seed 004 Art. 10).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from audit.notices.models import (
    ClosedFinding,
    ClosingLetterContent,
    ComplaintRef,
    Finding,
    FindingsReportContent,
    ItemResult,
    NoticeMeta,
    NoticeType,
    OperatorRow,
    OverdueFinding,
    OverdueFollowupContent,
    PublicNoticeContent,
    RateRow,
    RectificationContent,
    SelfInspectionContent,
)

AUTHORITY = "某某省通信管理局"

_FINDINGS = [
    Finding(
        item="客服热线接通(三声振铃内应答)",
        severity="critical",
        evidence_refs=["EV-2026-0113", "EV-2026-0114"],
        measured="10 次拨测中 4 次超过三声振铃应答,最长接通用时 38 秒(振铃 7 次)",
        rule="《电信服务质量监督抽查规定》附件《电信服务质量监督抽查参考内容》三(三);"
        "《400电话接听回访流程》第3.4条",
        rectification="合理排班、优化话务分配,确保人工服务在三声振铃内接起;超时接听须致歉。",
    ),
    Finding(
        item="无声电话处理流程",
        severity="non_critical",
        evidence_refs=["EV-2026-0131"],
        measured="坐席仅问候一次即挂机,未按规定重复问候三次、每次间隔 5 秒",
        rule="《淘宝客服培训方案》6.3 开头语及问候语应答规范 第4项",
        rectification="对坐席开展无声电话处理规范培训,问候三次后方可挂机,并纳入质检。",
    ),
    Finding(
        item="在线客服首次响应时长",
        severity="non_critical",
        evidence_refs=["EV-2026-0150"],
        measured="首次响应用时 96 秒(限值 45 秒)",
        rule="《天猫客服质检体系》二、非关键差错 第2条",
        rectification="增加在线坐席,配置自动欢迎语并确保人工在 45 秒内首次响应。",
    ),
]


def demo_meta(
    notice_type: NoticeType,
    *,
    number: str = "(草稿)",
    token: str = "demo",
    base_url: str = "http://127.0.0.1:8000",
    test_key: bool = True,
) -> NoticeMeta:
    addressee = (
        "各基础电信企业省分公司"
        if notice_type == NoticeType.public_notice
        else "中国示例通信有限公司某某省分公司"
    )
    return NoticeMeta(
        authority=AUTHORITY,
        letterhead=AUTHORITY,
        number=number,
        addressee=addressee,
        issue_date=dt.date(2026, 11, 23),
        verify_url=f"{base_url.rstrip('/')}/verify/{token}",
        token=token,
        signer_name="某某省通信管理局(测试)",
        test_key=test_key,
    )


def rectification(long: bool = True) -> RectificationContent:
    findings = list(_FINDINGS)
    if long:  # enough rows to flow onto a second page with the header repeated
        findings += [
            f.model_copy(update={"item": f"{f.item}(复测 {i})"})
            for i in range(1, 3)
            for f in _FINDINGS
        ]
    return RectificationContent(
        inspection_ref="PLAN-2026-017 / INS-0042",
        inspected_on="2026年11月2日至11月6日",
        findings=findings,
        deadline=dt.date(2026, 12, 23),
    )


def self_inspection() -> SelfInspectionContent:
    return SelfInspectionContent(
        trigger_ref="TRG-2026-0009",
        region="某某市(行政区划代码 440300)",
        issue="宽带故障报修后长期无人处理",
        complaints=[
            ComplaintRef(
                id="SS-2026-10-0311", date=dt.date(2026, 10, 12), summary="报修 5 日未上门"
            ),
            ComplaintRef(id="SS-2026-10-0340", date=dt.date(2026, 10, 19), summary="多次催修无果"),
            ComplaintRef(id="SS-2026-11-0012", date=dt.date(2026, 11, 3), summary="热线承诺未兑现"),
        ],
        deadline=dt.date(2026, 12, 8),
    )


def findings_report() -> FindingsReportContent:
    seconds = [4.2, 6.0, 7.5, 9.1, 11.0, 12.4, 13.0, 16.8, 22.5, 38.0, 8.3, 10.2, 14.9, 5.5]
    return FindingsReportContent(
        plan_ref="PLAN-2026-017",
        period="2026年11月2日至11月6日",
        method="暗访",
        items=[
            ItemResult(
                code="V-01",
                title="三声振铃内接听",
                basis="《400电话接听回访流程》第3.4条",
                result="fail",
                score=6,
                max_score=10,
                note="4/10 次超时",
            ),
            ItemResult(
                code="V-02",
                title="标准问候语",
                basis="《淘宝客服培训方案》6.3 开头语及问候语应答规范 第2项",
                result="pass",
                score=10,
                max_score=10,
            ),
            ItemResult(
                code="V-03",
                title="无声电话处理",
                basis="《淘宝客服培训方案》6.3 开头语及问候语应答规范 第4项",
                result="fail",
                score=5,
                max_score=10,
            ),
            ItemResult(
                code="C-01",
                title="在线客服首次响应 ≤ 45 秒",
                basis="《天猫客服质检体系》二、非关键差错 第2条",
                result="fail",
                score=4,
                max_score=10,
            ),
            ItemResult(
                code="C-02",
                title="服务忌语",
                basis="《淘宝客服培训方案》6.9 服务忌语",
                result="pass",
                score=10,
                max_score=10,
            ),
        ],
        total_score=70,
        answer_rates=[
            RateRow(label="热线 10086", passed=13, total=14),
            RateRow(label="在线客服", passed=9, total=10),
        ],
        answer_seconds=seconds,
        answer_threshold_s=15,
        compliance=[
            RateRow(label="三声振铃内接听", passed=6, total=10),
            RateRow(label="标准问候语", passed=14, total=14),
            RateRow(label="无声电话处理", passed=2, total=4),
        ],
        summary="主要问题集中在接通及时性与无声电话处理。",
    )


def public_notice() -> PublicNoticeContent:
    return PublicNoticeContent(
        period="2026年第三季度",
        scope="全省基础电信企业客服热线及在线客服",
        rows=[
            OperatorRow(
                operator="示例移动",
                probes=120,
                answered=114,
                mean_answer_s=9.8,
                compliant=101,
                score=88.5,
            ),
            OperatorRow(
                operator="示例电信",
                probes=118,
                answered=109,
                mean_answer_s=12.1,
                compliant=95,
                score=84.0,
            ),
            OperatorRow(
                operator="示例联通",
                probes=121,
                answered=103,
                mean_answer_s=15.6,
                compliant=88,
                score=79.5,
            ),
        ],
        summary="总体服务质量保持稳定,个别企业接通及时性有待提升。",
    )


def closing_letter() -> ClosingLetterContent:
    return ClosingLetterContent(
        notice_ref="整改〔2026〕第0007号",
        notice_date=dt.date(2026, 11, 23),
        findings=[
            ClosedFinding(
                item=_FINDINGS[0].item,
                outcome="整改完成,复查合格",
                closed_on=dt.date(2026, 12, 18),
                basis="暗访复测 12 次,全部在三声振铃内接听",
            ),
            ClosedFinding(
                item=_FINDINGS[1].item,
                outcome="经申诉复核,调整为不适用",
                closed_on=dt.date(2026, 12, 2),
                basis="申诉复核",
            ),
        ],
    )


def overdue_followup() -> OverdueFollowupContent:
    return OverdueFollowupContent(
        notice_ref="整改〔2026〕第0007号",
        notice_date=dt.date(2026, 11, 23),
        findings=[
            OverdueFinding(
                item=_FINDINGS[0].item, deadline=dt.date(2026, 12, 23), status="未报告整改情况"
            )
        ],
        new_deadline=dt.date(2027, 1, 8),
    )


def demo_content(notice_type: NoticeType) -> Any:
    makers: dict[NoticeType, Callable[[], Any]] = {
        NoticeType.rectification: rectification,
        NoticeType.self_inspection: self_inspection,
        NoticeType.findings_report: findings_report,
        NoticeType.public_notice: public_notice,
        NoticeType.closing_letter: closing_letter,
        NoticeType.overdue_followup: overdue_followup,
    }
    return makers[notice_type]()
