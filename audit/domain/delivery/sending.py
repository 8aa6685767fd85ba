"""Sending one delivery (what the ``delivery.send`` job runs): claim it for one attempt,
send the mail or the signed POST, record the attempt, then delivered / retry with backoff /
dead. The claim is one conditional UPDATE that also numbers the attempt, so the same attempt
is never sent twice (a job delivered twice, two dispatchers, a worker taken over)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import structlog

from audit import clock
from audit.context import SYSTEM
from audit.db import engine
from audit.domain.delivery import mailer, webhooks
from audit.domain.delivery.config import DeliverySettings, get_delivery_settings
from audit.domain.delivery.outbox import _json, add_receipt
from audit.domain.delivery.tables import Delivery, DeliveryAttempt
from audit.errors import InvalidTransition

log = structlog.get_logger("audit.delivery")


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
