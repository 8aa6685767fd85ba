"""What the operator (email + webhook) and the supervisors (email) are told, zh with English.
Each function enqueues deliveries inside the caller's transaction (``delivery.outbox``)."""

from __future__ import annotations

from typing import Any

from audit.domain.delivery import outbox
from audit.domain.delivery.mailer import Paragraph

DECISIONS = {
    "upheld": ("维持原检查结论", "upheld"),
    "overturned": ("撤销该问题", "overturned (the finding is withdrawn)"),
    "adjusted": ("调整检查结论", "adjusted"),
}


def _base() -> str:
    from audit.settings import get_settings

    return get_settings().public_base_url.rstrip("/")


def _item_data(item: dict[str, Any]) -> dict[str, Any]:
    """What an event discloses about an item: what the notice printed, nothing covert."""
    return {
        "finding_id": item["id"],
        "notice_id": item["notice_id"],
        "position": item["position"],
        "title": item["title"],
        "state": item["state"],
        "deadline": str(item["deadline"]) if item["deadline"] else None,
        "url": f"{_base()}/ui/portal/findings/{item['id']}",
    }


def _lines(items: list[dict[str, Any]]) -> str:
    return ";".join(f"第{i['position']}项 {i['title']}" for i in items)


async def reminder(notice: dict[str, Any], due: list[dict[str, Any]], days: int) -> None:
    deadline = due[0]["deadline"]
    await outbox.enqueue(
        "finding.reminder",
        operator_id=notice["operator_id"],
        notice_id=notice["id"],
        data={
            "days_left": days,
            "deadline": str(deadline),
            "number": notice["number"],
            "findings": [_item_data(i) for i in due],
        },
        mail=outbox.MailText(
            subject=f"【整改期限提醒】{notice['number']} 还有 {days} 天 / Deadline in {days} day(s)",
            title_zh="整改期限提醒",
            title_en="Rectification deadline reminder",
            paragraphs=[
                Paragraph(
                    f"《{notice['number']}》所列问题整改期限为 {deadline},还有 {days} 天,"
                    f"尚未报告整改情况:{_lines(due)}。",
                    f"{len(due)} finding(s) of notice {notice['number']} are due on {deadline} "
                    f"({days} day(s) left) and no rectification has been reported.",
                )
            ],
            links=[("门户", "Portal", f"{_base()}/ui/portal/notices/{notice['id']}")],
        ),
    )


async def overdue(notice: dict[str, Any], late: list[dict[str, Any]]) -> None:
    deadline = late[0]["deadline"]
    await outbox.enqueue(
        "finding.overdue",
        operator_id=notice["operator_id"],
        notice_id=notice["id"],
        data={
            "deadline": str(deadline),
            "number": notice["number"],
            "findings": [_item_data(i) for i in late],
        },
        mail=outbox.MailText(
            subject=f"【逾期未整改】{notice['number']} / Rectification overdue",
            title_zh="逾期未整改",
            title_en="Rectification overdue",
            paragraphs=[
                Paragraph(
                    f"《{notice['number']}》所列问题整改期限 {deadline} 已届满,下列问题仍未报告整改:"
                    f"{_lines(late)}。我局将依照《电信服务质量监督管理暂行办法》第二十一条处理。",
                    f"The deadline {deadline} of notice {notice['number']} has passed without a "
                    f"rectification report for {len(late)} finding(s); the regulator will proceed "
                    "under Art. 21 of the Interim Measures on Telecommunications Service Quality "
                    "Supervision (warning or fine).",
                )
            ],
            links=[("门户", "Portal", f"{_base()}/ui/portal/notices/{notice['id']}")],
        ),
    )


async def escalation(
    notice: dict[str, Any], late: list[dict[str, Any]], followup_id: int | None
) -> None:
    emails = await outbox.staff_emails(("supervisor",))
    if not emails:
        return
    await outbox.enqueue(
        "finding.escalation",
        operator_id=None,
        notice_id=notice["id"],
        data={},
        emails=emails,
        webhook=False,
        mail=outbox.MailText(
            subject=f"【逾期升级】{notice['addressee']} {notice['number']} / Overdue escalation",
            title_zh="逾期未整改升级",
            title_en="Escalation: rectification overdue",
            paragraphs=[
                Paragraph(
                    f"{notice['addressee']}《{notice['number']}》有 {len(late)} 项问题逾期未整改:"
                    f"{_lines(late)}。"
                    + ("督办通知书草稿已生成,待审批签发。" if followup_id else ""),
                    f"{notice['addressee']}: {len(late)} finding(s) of {notice['number']} are overdue."
                    + (" A draft follow-up notice awaits approval." if followup_id else ""),
                )
            ],
            links=[("待办", "Staff view", f"{_base()}/ui/findings?state=overdue")]
            + (
                [("督办草稿", "Draft follow-up", f"{_base()}/ui/notices/{followup_id}")]
                if followup_id
                else []
            ),
        ),
    )


async def dispute_decided(
    item: dict[str, Any], dispute: dict[str, Any], corrected: dict[str, Any] | None
) -> None:
    zh, en = DECISIONS[dispute["status"]]
    extra_zh = f"更正后的文书为《{corrected['number']}》,原文书作废。" if corrected else ""
    extra_en = (
        f" The corrected notice {corrected['number']} supersedes the old one." if corrected else ""
    )
    await outbox.enqueue(
        "dispute.decided",
        operator_id=item["operator_id"],
        notice_id=item["notice_id"],
        data={
            **_item_data(item),
            "dispute_id": dispute["id"],
            "decision": dispute["status"],
            "reason": dispute["decision_reason"],
            "corrected_notice_id": corrected["id"] if corrected else None,
            "corrected_number": corrected["number"] if corrected else None,
        },
        mail=outbox.MailText(
            subject=f"【申辩处理结果】第{item['position']}项:{zh} / Dispute decided: {en}",
            title_zh="申辩处理结果",
            title_en="Dispute decision",
            paragraphs=[
                Paragraph(
                    f"你单位对“{item['title']}”提出的申辩,处理结果:{zh}。理由:"
                    f"{dispute['decision_reason']}。{extra_zh}",
                    f"Your dispute of finding {item['position']} was {en}. Reason: "
                    f"{dispute['decision_reason']}.{extra_en}",
                )
            ],
            links=[("门户", "Portal", f"{_base()}/ui/portal/findings/{item['id']}")],
        ),
    )


async def closed(item: dict[str, Any], reason: str) -> None:
    await outbox.enqueue(
        "finding.closed",
        operator_id=item["operator_id"],
        notice_id=item["notice_id"],
        data={**_item_data(item), "reason": reason},
        mail=outbox.MailText(
            subject=f"【问题销号】第{item['position']}项 / Finding closed",
            title_zh="问题销号",
            title_en="Finding closed",
            paragraphs=[
                Paragraph(
                    f"“{item['title']}”已销号。{reason}",
                    f"Finding {item['position']} is closed. {reason}",
                )
            ],
            links=[("门户", "Portal", f"{_base()}/ui/portal/findings/{item['id']}")],
        ),
    )


async def reopened(item: dict[str, Any]) -> None:
    await outbox.enqueue(
        "finding.reopened",
        operator_id=item["operator_id"],
        notice_id=item["notice_id"],
        data=_item_data(item),
        mail=outbox.MailText(
            subject=f"【复查不合格】第{item['position']}项 / Verification failed: finding reopened",
            title_zh="复查不合格,问题重新打开",
            title_en="Verification failed: finding reopened",
            paragraphs=[
                Paragraph(
                    f"经复查,“{item['title']}”仍不符合要求,该问题重新打开,请继续整改并重新报告。",
                    f"Verification found finding {item['position']} still not rectified; it is "
                    "reopened. Please rectify and report again.",
                )
            ],
            links=[("门户", "Portal", f"{_base()}/ui/portal/findings/{item['id']}")],
        ),
    )
