"""Delivery's part in a notice's life: an issued notice is mailed (PDF attached) and pushed to
the operator's webhooks; downloads and acknowledgements become receipts on the notice."""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.delivery import outbox
from audit.domain.delivery.mailer import Paragraph
from audit.notices.models import TITLES, NoticeType

TITLES_EN = {
    "rectification": "Rectification notice",
    "self_inspection": "Self-inspection order",
    "findings_report": "Findings report",
    "public_notice": "Public service-quality notice",
    "closing_letter": "Closing letter (rectification verified)",
    "overdue_followup": "Follow-up notice on overdue rectification",
}


def _findings_count(notice: dict[str, Any]) -> int:
    content = notice["content"] or {}
    if notice["notice_type"] == "findings_report":
        return sum(1 for i in content.get("items", []) if i.get("result") == "fail")
    return len(content.get("findings", []) or content.get("complaints", [])[:1])


def issued_mail(notice: dict[str, Any]) -> outbox.MailText:
    from audit.settings import get_settings

    base = get_settings().public_base_url.rstrip("/")
    ntype = notice["notice_type"]
    zh, en = TITLES[NoticeType(ntype)], TITLES_EN.get(ntype, ntype)
    deadline = (notice["content"] or {}).get("deadline")
    paragraphs = [
        Paragraph(
            f"{notice['addressee']}:我局已向你单位签发《{zh}》{notice['number']},"
            f"签发日期 {notice['issue_date']},签章文书见附件(PDF)。",
            f"{zh} No. {notice['number']} was issued to you on {notice['issue_date']}; "
            "the signed PDF is attached.",
        ),
    ]
    count = _findings_count(notice)
    if count and ntype in ("rectification", "findings_report", "self_inspection"):
        paragraphs.append(
            Paragraph(
                f"文书列明问题 {count} 项"
                + (f",整改期限 {deadline}。" if deadline else "。")
                + "请登录门户确认签收、报告整改情况,或在规定期限内提出申辩。",
                f"It lists {count} finding(s)"
                + (f", due by {deadline}." if deadline else ".")
                + " Please acknowledge it, report rectification or dispute a finding in the "
                "portal within the set time.",
            )
        )
    paragraphs.append(
        Paragraph(
            f"文书 SHA-256:{notice['sha256']}。可通过下方核验链接确认文书真伪及状态。",
            f"Document SHA-256: {notice['sha256']}. Check authenticity and status at the "
            "verification link below.",
        )
    )
    return outbox.MailText(
        subject=f"【{zh}】{notice['number']} / {en}",
        title_zh=zh,
        title_en=en,
        paragraphs=paragraphs,
        links=[
            ("门户", "Portal", f"{base}/ui/portal/notices/{notice['id']}"),
            ("核验", "Verify", f"{base}/verify/{notice['token']}"),
        ],
        attach_pdf=True,
    )


def issued_event(notice: dict[str, Any]) -> dict[str, Any]:
    from audit.settings import get_settings

    base = get_settings().public_base_url.rstrip("/")
    return {
        "notice_id": notice["id"],
        "number": notice["number"],
        "notice_type": notice["notice_type"],
        "issue_date": str(notice["issue_date"]),
        "deadline": (notice["content"] or {}).get("deadline"),
        "sha256": notice["sha256"],
        "supersedes": notice.get("supersedes"),
        "pdf_url": f"{base}/notices/{notice['id']}/pdf",
        "verify_url": f"{base}/verify/{notice['token']}",
    }


async def on_notice_event(event: str, notice: dict[str, Any], actor: Actor, **details: Any) -> None:
    if event == "issued":
        if notice["operator_id"] is None:  # public notices are published, not delivered
            return
        await outbox.enqueue(
            "notice.issued",
            operator_id=notice["operator_id"],
            notice_id=notice["id"],
            data=issued_event(notice),
            mail=issued_mail(notice),
        )
    elif event == "downloaded":
        await outbox.add_receipt(notice["id"], "downloaded", actor)
    elif event == "acknowledged":
        comment = details.get("comment")
        await outbox.add_receipt(
            notice["id"], "acknowledged", actor, {"comment": comment} if comment else {}
        )
    elif event in ("superseded", "revoked"):
        await outbox.add_receipt(notice["id"], event, actor, {k: v for k, v in details.items()})
