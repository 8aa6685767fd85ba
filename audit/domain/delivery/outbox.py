"""The outbox: deliveries are rows written in the same transaction as what they announce,
then sent by jobs (``tasks.py``), retried with exponential backoff for at least
``AUDIT_DELIVERY_RETRY_FOR_S`` (24 h), every attempt recorded, and parked on the dead-letter
list when retrying is over (or the receiver refused for good). ``resend`` puts one back.

Exactly one attempt per attempt id: a delivery is claimed by one conditional UPDATE (which also
numbers the attempt) before anything is sent, so a message delivered twice by the broker, or
two dispatchers, never send the same attempt twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
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
from audit.domain.delivery.config import DeliverySettings, get_delivery_settings
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


# ---- sending ------------------------------------------------------------------------------


def backoff_s(attempt: int, settings: DeliverySettings | None = None) -> float:
    """Delay after failed attempt ``attempt`` (1-based): base · 2^(attempt−1), capped."""
    settings = settings or get_delivery_settings()
    return float(
        min(settings.delivery_retry_base_s * 2 ** (attempt - 1), settings.delivery_retry_max_s)
    )


async def due(limit: int = 200) -> list[int]:
    """Deliveries to send now: pending and due, or claimed by a worker that vanished."""
    settings = get_delivery_settings()
    now = clock.now()
    stale = now - dt.timedelta(seconds=settings.delivery_claim_timeout_s)
    rows = (
        await Delivery.select(Delivery.id)
        .where(
            ((Delivery.status == "pending") & (Delivery.next_attempt_at <= now))
            | ((Delivery.status == "sending") & (Delivery.claimed_at < stale))
        )
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    )
    return [r["id"] for r in rows]


@dataclass
class Claim:
    delivery: dict[str, Any]
    token: str
    number: int
    attempt_id: str


async def claim(delivery_id: int) -> Claim | None:
    """Take the delivery for one attempt, or None when it is not (or no longer) due."""
    settings = get_delivery_settings()
    now = clock.now()
    stale = now - dt.timedelta(seconds=settings.delivery_claim_timeout_s)
    token = secrets.token_hex(16)
    async with engine().transaction():
        rows = (
            await Delivery.update(
                {
                    Delivery.status: "sending",
                    Delivery.claim_token: token,
                    Delivery.claimed_at: now,
                    Delivery.attempts: Delivery.attempts + 1,
                }
            )
            .where(
                (Delivery.id == delivery_id)
                & (
                    ((Delivery.status == "pending") & (Delivery.next_attempt_at <= now))
                    | ((Delivery.status == "sending") & (Delivery.claimed_at < stale))
                )
            )
            .returning(Delivery.attempts)
        )
        if not rows:
            return None
        number = int(rows[0]["attempts"])
        row = await Delivery.select().where(Delivery.id == delivery_id).first()
        assert row is not None
        attempt_id = f"{row['event_id']}.{number}"
        await DeliveryAttempt.insert(
            DeliveryAttempt(
                delivery=delivery_id, number=number, attempt_id=attempt_id, started_at=now
            )
        )
        if row["first_attempt_at"] is None:
            await Delivery.update({Delivery.first_attempt_at: now}).where(
                Delivery.id == delivery_id
            )
            row["first_attempt_at"] = now
    row["payload"] = _json(row["payload"])
    return Claim(row, token, number, attempt_id)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    outcome: str  # ok | error | timeout | bounced
    status_code: int | None
    detail: str
    permanent: bool = False
    refused: dict[str, str] = field(default_factory=dict)


async def _send_email(c: Claim) -> Outcome:
    from audit.domain.notices.issuing import pdf_file
    from audit.domain.notices.services import load

    settings = get_delivery_settings()
    payload = c.delivery["payload"]
    attachment = None
    if payload.get("attach_pdf") and c.delivery["notice"] is not None:
        notice = await load(c.delivery["notice"])
        path = pdf_file(notice)
        name = f"{notice['notice_type']}-{notice['year']}-{notice['seq']:04d}.pdf"
        attachment = (name, path.read_bytes())
    msg = mailer.build_message(payload, settings.smtp_from, attachment)
    try:
        result = await mailer.send(msg, list(payload["to"]), settings)
    except mailer.MailRefused as exc:
        return Outcome(False, "bounced", exc.code, str(exc), True, exc.refused)
    except Exception as exc:  # temporary: connection refused, 4xx, timeouts
        return Outcome(False, "error", getattr(exc, "code", None), f"{type(exc).__name__}: {exc}")
    return Outcome(True, "ok", result.code, result.reply[:300], refused=result.refused)


async def _send_webhook(c: Claim) -> Outcome:
    row = c.delivery
    body = json.dumps(row["payload"], ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "X-Audit-Event": row["event"],
        "X-Audit-Delivery": row["event_id"],
        "X-Audit-Attempt": c.attempt_id,
    }
    secret = await webhooks.secret_of(row["endpoint"])
    r = await webhooks.post(row["recipient"], secret, body, headers)
    return Outcome(r.ok, r.outcome, r.status_code, r.detail, r.permanent)


async def send(delivery_id: int) -> str:
    """One attempt of one delivery (what the job runs); returns what happened."""
    c = await claim(delivery_id)
    if c is None:
        return "not due"
    try:
        result = await (_send_email(c) if c.delivery["channel"] == "email" else _send_webhook(c))
    except Exception as exc:  # our own fault (e.g. a missing PDF): recorded, retried
        log.exception("delivery failed", delivery=delivery_id)
        result = Outcome(False, "error", None, f"{type(exc).__name__}: {exc}")
    return await _finish(c, result)


async def _finish(c: Claim, result: Outcome) -> str:
    settings = get_delivery_settings()
    now = clock.now()
    row = c.delivery
    first = row["first_attempt_at"] or now
    retry_over = (now - first).total_seconds() >= settings.delivery_retry_for_s
    values: dict[Any, Any] = {Delivery.claim_token: None, Delivery.last_error: None}
    if result.ok:
        status = "delivered"
        values |= {Delivery.status: "delivered", Delivery.delivered_at: now}
    elif result.permanent or retry_over:
        status = "dead"
        values |= {
            Delivery.status: "dead",
            Delivery.dead_at: now,
            Delivery.last_error: result.detail,
        }
    else:
        status = "retry"
        values |= {
            Delivery.status: "pending",
            Delivery.next_attempt_at: now + dt.timedelta(seconds=backoff_s(c.number, settings)),
            Delivery.last_error: result.detail,
        }
    async with engine().transaction():
        done = (
            await Delivery.update(values)
            .where((Delivery.id == row["id"]) & (Delivery.claim_token == c.token))
            .returning(Delivery.id)
        )
        await DeliveryAttempt.update(
            {
                DeliveryAttempt.finished_at: now,
                DeliveryAttempt.outcome: result.outcome,
                DeliveryAttempt.status_code: result.status_code,
                DeliveryAttempt.detail: result.detail[:2000],
            }
        ).where(DeliveryAttempt.attempt_id == c.attempt_id)
        if not done:  # reclaimed as stale meanwhile: the newer attempt decides
            return "superseded"
        if row["notice"] is not None:
            await _receipts(c, result, status)
    if result.ok and row["event"] == "notice.issued" and row["notice"] is not None:
        await _mark_notice_delivered(row["notice"])
    log.info("delivery attempt", delivery=row["id"], attempt=c.attempt_id, result=status)
    return status


async def _receipts(c: Claim, result: Outcome, status: str) -> None:
    row = c.delivery
    detail = {
        "event": row["event"],
        "attempt_id": c.attempt_id,
        "recipient": row["recipient"],
        "outcome": result.outcome,
        "status_code": result.status_code,
    }
    kind = f"{row['channel']}_{'delivered' if result.ok else 'failed'}"
    if status == "dead":
        kind = f"{row['channel']}_{'bounced' if result.outcome == 'bounced' else 'dead'}"
    await add_receipt(
        row["notice"],
        kind,
        SYSTEM,
        {**detail, "detail": result.detail[:300]},
        delivery_id=row["id"],
    )
    for rcpt, reply in result.refused.items():  # partial bounce: the others got it
        if result.ok:
            await add_receipt(
                row["notice"],
                "email_bounced",
                SYSTEM,
                {**detail, "recipient": rcpt, "detail": reply},
                row["id"],
            )


async def _mark_notice_delivered(notice_id: int) -> None:
    from audit.domain.notices import issuing
    from audit.domain.notices.services import load

    if (await load(notice_id))["status"] == "issued":
        with contextlib.suppress(InvalidTransition):  # fetched or acknowledged meanwhile
            await issuing.mark_delivered(notice_id, SYSTEM)


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
