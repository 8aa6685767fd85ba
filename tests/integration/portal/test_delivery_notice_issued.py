"""An issued notice is mailed (plain + HTML, zh with English, the signed PDF attached) through
the real local SMTP server and pushed, signed, to the operator's HTTPS webhook; both
deliveries are receipts on the notice, and the first one marks the notice delivered."""

from __future__ import annotations

from typing import Any

from tests.integration.notices.notice_helpers import issued_notice


async def _drain() -> list[str]:
    from audit.domain.delivery import sending

    return [await sending.send(i) for i in await sending.due()]


async def test_issue_mails_pdf_and_signs_webhook(
    mailed_cast: Any, mail_sink: Any, receiver: Any
) -> None:
    from audit.domain.delivery import outbox, webhooks
    from audit.domain.notices.services import load

    cast = mailed_cast
    endpoint = await webhooks.register(cast.operator_a["id"], receiver.url, [], cast.actor("op_a"))
    receiver.secret = endpoint["secret"]
    assert endpoint["secret"].startswith("whsec_")
    assert "secret" not in await webhooks.get_endpoint(endpoint["id"])  # shown once

    notice = await issued_notice(cast)
    assert sorted(await _drain()) == ["delivered", "delivered"]

    (mail,) = mail_sink.messages()
    assert notice["number"] in mail.subject and "Rectification notice" in mail.subject
    assert mail.rcpt_to == "quality@op-a.example"
    assert "整改通知书" in mail.text and "signed PDF is attached" in mail.text
    assert f"/ui/portal/notices/{notice['id']}" in mail.html
    ((name, media, data),) = mail.attachments
    assert media == "application/pdf" and name.endswith(".pdf")
    import hashlib

    assert hashlib.sha256(data).hexdigest() == notice["sha256"]  # the signed PDF itself

    (hit,) = receiver.received
    assert hit.signature_ok and hit.event == "notice.issued"
    assert hit.body["data"]["number"] == notice["number"]
    assert hit.attempt_id == f"{hit.delivery_id}.1"

    kinds = [r["kind"] for r in await outbox.receipts(notice["id"])]
    assert sorted(kinds) == ["email_delivered", "webhook_delivered"]
    assert (await load(notice["id"]))["status"] == "delivered"
    assert await _drain() == []  # nothing left to send


async def test_bounce_is_a_receipt_and_a_dead_letter(mailed_cast: Any, mail_sink: Any) -> None:
    from audit.domain.delivery import outbox
    from audit.domain.operators.tables import Operator

    cast = mailed_cast
    await Operator.update(
        {Operator.contacts: [{"name": "旧邮箱", "email": "old@bounce.invalid"}]}
    ).where(Operator._meta.primary_key == cast.operator_a["id"])
    notice = await issued_notice(cast)
    assert await _drain() == ["dead"]  # a permanent refusal is not retried
    (dead,) = await outbox.list_deliveries(status="dead")
    assert dead["notice_id"] == notice["id"] and dead["attempt_log"][0]["outcome"] == "bounced"
    kinds = [r["kind"] for r in await outbox.receipts(notice["id"])]
    assert kinds == ["email_bounced"]
    assert mail_sink.messages() == []
