"""The outbox: deliveries are rows written in the same transaction as what they announce,
then sent by jobs (``tasks.py``), retried with exponential backoff for at least
``AUDIT_DELIVERY_RETRY_FOR_S`` (24 h), every attempt recorded, and parked on the dead-letter
list when retrying is over (or the receiver refused for good). ``resend`` puts one back.

Sending one attempt (claim, send, record, backoff) is ``sending.py``; this module writes the
deliveries and receipts and reads them back (the notice's receipts, the dead-letter list).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import structlog

from audit import clock
from audit.context import SYSTEM, Actor
from audit.db import engine
from audit.domain.accounts.tables import User
from audit.domain.auditlog.services import record
from audit.domain.delivery import mailer, webhooks
from audit.domain.delivery.tables import Delivery, DeliveryAttempt, NoticeReceipt
from audit.domain.operators.tables import Operator
from audit.errors import InvalidTransition, NotFound

log = structlog.get_logger("audit.delivery")


@dataclass(frozen=True)
class MailText:
    subject: str
    title_zh: str
    title_en: str
    paragraphs: list[mailer.Paragraph]
    links: list[tuple[str, str, str]] = field(default_factory=list)
    attach_pdf: bool = False  # the notice's signed PDF


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def operator_emails(operator_id: int) -> list[str]:
    """The operator's contact addresses and its active users' addresses (deduplicated)."""
    found: list[str] = []
    op = (
        await Operator.select(Operator.contacts)
        .where(Operator._meta.primary_key == operator_id)
        .first()
    )
    for contact in _json(op["contacts"]) if op else []:
        if isinstance(contact, dict) and contact.get("email"):
            found.append(str(contact["email"]))
    users = await User.select(User.email).where(
        (User.operator == operator_id) & (User.active == True) & User.email.is_not_null()  # noqa: E712
    )
    found += [u["email"] for u in users if u["email"]]
    return list(dict.fromkeys(a.strip().lower() for a in found if a.strip()))


async def staff_emails(roles: tuple[str, ...] = ("supervisor",)) -> list[str]:
    users = await User.select(User.email).where(
        User.role.is_in(list(roles)) & (User.active == True) & User.email.is_not_null()  # noqa: E712
    )
    return list(dict.fromkeys(u["email"].strip().lower() for u in users if u["email"]))


def _new_event_id() -> str:
    return "evt_" + uuid.uuid4().hex


async def enqueue(
    event: str,
    *,
    operator_id: int | None,
    notice_id: int | None,
    data: dict[str, Any],
    mail: MailText | None,
    emails: list[str] | None = None,
    webhook: bool = True,
) -> list[int]:
    """Write the deliveries of one event (call inside the transaction of what it announces).

    Email goes to ``emails`` (default: the operator's addresses); webhooks to the operator's
    active endpoints that take ``event``. Returns the new delivery ids.
    """
    from audit.settings import get_settings

    now = clock.now()
    created: list[int] = []
    rows: list[Delivery] = []
    if mail is not None:
        to = (
            emails
            if emails is not None
            else (await operator_emails(operator_id) if operator_id else [])
        )
        if to:
            event_id = _new_event_id()
            plain, page = mailer.compose_bodies(
                mail.title_zh, mail.title_en, mail.paragraphs, mail.links
            )
            rows.append(
                Delivery(
                    event_id=event_id,
                    event=event,
                    channel="email",
                    operator=operator_id,
                    notice=notice_id,
                    recipient=", ".join(to),
                    payload={
                        "event": event,
                        "event_id": event_id,
                        "to": to,
                        "subject": mail.subject,
                        "text": plain,
                        "html": page,
                        "attach_pdf": mail.attach_pdf,
                    },
                    status="pending",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        elif notice_id is not None:
            await add_receipt(notice_id, "email_no_recipient", SYSTEM, {"event": event})
    if webhook and operator_id is not None:
        for endpoint in await webhooks.active_endpoints(operator_id, event):
            event_id = _new_event_id()
            body = {
                "id": event_id,
                "type": event,
                "created_at": now.isoformat(),
                "operator_id": operator_id,
                "data": data,
                "portal_url": get_settings().public_base_url.rstrip("/") + "/ui/portal",
            }
            rows.append(
                Delivery(
                    event_id=event_id,
                    event=event,
                    channel="webhook",
                    operator=operator_id,
                    notice=notice_id,
                    endpoint=endpoint["id"],
                    recipient=endpoint["url"],
                    payload=body,
                    status="pending",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    for row in rows:
        inserted = await Delivery.insert(row).returning(Delivery.id)
        created.append(inserted[0]["id"])
    return created


async def add_receipt(
    notice_id: int,
    kind: str,
    actor: Actor,
    detail: dict[str, Any] | None = None,
    delivery_id: int | None = None,
) -> None:
    await NoticeReceipt.insert(
        NoticeReceipt(
            notice=notice_id,
            kind=kind,
            at=clock.now(),
            actor_id=actor.id,
            actor=actor.name,
            delivery_id=delivery_id,
            detail=detail or {},
        )
    )


async def viewed(notice_id: int, actor: Actor) -> None:
    """A read receipt: the first time each operator user opens the notice in the portal."""
    if not actor.is_operator:
        return
    seen = await NoticeReceipt.exists().where(
        (NoticeReceipt.notice == notice_id)
        & (NoticeReceipt.kind == "viewed")
        & (NoticeReceipt.actor_id == actor.id)
    )
    if not seen:
        await add_receipt(notice_id, "viewed", actor)


# ---- reading, dead letters ----------------------------------------------------------------


async def attempts_of(delivery_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in delivery_ids}
    if not delivery_ids:
        return out
    rows = (
        await DeliveryAttempt.select(
            DeliveryAttempt.delivery.as_alias("delivery_id"),
            DeliveryAttempt.number,
            DeliveryAttempt.attempt_id,
            DeliveryAttempt.started_at,
            DeliveryAttempt.finished_at,
            DeliveryAttempt.outcome,
            DeliveryAttempt.status_code,
            DeliveryAttempt.detail,
        )
        .where(DeliveryAttempt.delivery.is_in(delivery_ids))
        .order_by(DeliveryAttempt.id)
    )
    for r in rows:
        out[r["delivery_id"]].append(r)
    return out


_DELIVERY_FIELDS = (
    Delivery.id,
    Delivery.event_id,
    Delivery.event,
    Delivery.channel,
    Delivery.operator.as_alias("operator_id"),
    Delivery.notice.as_alias("notice_id"),
    Delivery.endpoint.as_alias("endpoint_id"),
    Delivery.recipient,
    Delivery.status,
    Delivery.attempts,
    Delivery.next_attempt_at,
    Delivery.last_error,
    Delivery.created_at,
    Delivery.first_attempt_at,
    Delivery.delivered_at,
    Delivery.dead_at,
)


async def list_deliveries(
    *,
    notice_id: int | None = None,
    status: str | None = None,
    operator_id: int | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    query = Delivery.select(*_DELIVERY_FIELDS).order_by(Delivery.id).limit(limit)
    if notice_id is not None:
        query = query.where(Delivery.notice == notice_id)
    if status is not None:
        query = query.where(Delivery.status == status)
    if operator_id is not None:
        query = query.where(Delivery.operator == operator_id)
    rows = await query
    attempts = await attempts_of([r["id"] for r in rows])
    for r in rows:
        r["attempt_log"] = attempts[r["id"]]
    return rows


async def receipts(notice_id: int) -> list[dict[str, Any]]:
    rows = (
        await NoticeReceipt.select()
        .where(NoticeReceipt.notice == notice_id)
        .order_by(NoticeReceipt.id)
    )
    for r in rows:
        r["detail"] = _json(r["detail"])
        r["notice_id"] = r.pop("notice")
    return rows


async def get_delivery(delivery_id: int) -> dict[str, Any]:
    row = await Delivery.select(*_DELIVERY_FIELDS).where(Delivery.id == delivery_id).first()
    if row is None:
        raise NotFound(f"delivery {delivery_id} not found")
    row["attempt_log"] = (await attempts_of([delivery_id]))[delivery_id]
    return row


async def resend(delivery_id: int, actor: Actor) -> dict[str, Any]:
    """dead → pending (due now, a fresh retry period); the attempt numbers go on."""
    before = await get_delivery(delivery_id)
    if before["status"] != "dead":
        raise InvalidTransition(
            f"delivery {delivery_id} is {before['status']}; only dead letters are resent",
            field="status",
        )
    now = clock.now()
    async with engine().transaction():
        n = (
            await Delivery.update(
                {
                    Delivery.status: "pending",
                    Delivery.next_attempt_at: now,
                    Delivery.dead_at: None,
                    Delivery.first_attempt_at: None,
                }
            )
            .where((Delivery.id == delivery_id) & (Delivery.status == "dead"))
            .returning(Delivery.id)
        )
        if not n:
            raise InvalidTransition(f"delivery {delivery_id} changed meanwhile", field="status")
        after = await get_delivery(delivery_id)
        await record(
            actor,
            "delivery.resend",
            "delivery",
            delivery_id,
            {"status": "dead"},
            {"status": "pending"},
        )
    return after
