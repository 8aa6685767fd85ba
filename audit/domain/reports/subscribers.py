"""Subscriber counts per operator and period (the regulator enters them or imports a CSV):
the denominator of complaints per million users. Every change is in the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.operators.tables import Operator
from audit.domain.reports.periods import parse
from audit.domain.reports.tables import SubscriberCount
from audit.errors import DomainError

MAX_SUBSCRIBERS = 10**10  # more than every phone on earth: a typo, not a count
CSV_COLUMNS = ("operator", "period", "subscribers")


async def counts_for(period: str) -> dict[int, int]:
    rows = await SubscriberCount.select(
        SubscriberCount.operator, SubscriberCount.subscribers
    ).where(SubscriberCount.period == period)
    return {int(r["operator"]): int(r["subscribers"]) for r in rows}


async def list_counts(period: str | None = None) -> list[dict[str, Any]]:
    q = SubscriberCount.select(
        SubscriberCount.id,
        SubscriberCount.operator.as_alias("operator_id"),
        SubscriberCount.operator.name.as_alias("operator"),
        SubscriberCount.period,
        SubscriberCount.subscribers,
        SubscriberCount.source,
    ).order_by(SubscriberCount.period, ascending=False)
    if period:
        q = q.where(SubscriberCount.period == parse(period).label)
    return list(await q.order_by(SubscriberCount.operator.name).run())


def _check(subscribers: Any, field: str = "subscribers") -> int:
    try:
        n = int(str(subscribers).strip().replace(",", ""))
    except ValueError as exc:
        raise DomainError(f"{field}: {subscribers!r} is not a whole number", field) from exc
    if not 1 <= n <= MAX_SUBSCRIBERS:
        raise DomainError(f"{field}: {n} must be between 1 and {MAX_SUBSCRIBERS}", field)
    return n


async def _operator_id(given: str | int) -> int:
    text = str(given).strip()
    where = (
        Operator.id == int(text)
        if text.isdigit() and len(text) < 10
        else (Operator.name == text) | (Operator.uscc == text.upper())
    )
    row = await Operator.select(Operator.id).where(where).first().run()
    if row is None:
        raise DomainError(f"unknown operator {text!r}", field="operator")
    return int(row["id"])


async def _upsert(op: int, period: str, n: int, source: str, actor: Actor) -> dict[str, Any]:
    before = (
        await SubscriberCount.select()
        .where((SubscriberCount.operator == op) & (SubscriberCount.period == period))
        .first()
        .run()
    )
    now = dt.datetime.now(dt.UTC)
    if before is None:
        await SubscriberCount.insert(
            SubscriberCount(operator=op, period=period, subscribers=n, source=source)
        ).run()
    else:
        await (
            SubscriberCount.update(
                {
                    SubscriberCount.subscribers: n,
                    SubscriberCount.source: source,
                    SubscriberCount.updated_at: now,
                }
            )
            .where(SubscriberCount.id == before["id"])
            .run()
        )
    after = {"operator": op, "period": period, "subscribers": n, "source": source}
    old = (
        None
        if before is None
        else {k: before[k] for k in ("operator", "period", "subscribers", "source")}
    )
    await record(actor, "subscriber_count.update" if before else "subscriber_count.create",
                 "subscriber_count", f"{op}:{period}", old, after)  # fmt: skip
    return after


async def set_count(
    operator: str | int, period: str, subscribers: Any, actor: Actor, source: str = ""
) -> dict[str, Any]:
    op = await _operator_id(operator)
    label = parse(period).label
    n = _check(subscribers)
    async with engine().transaction():
        return await _upsert(op, label, n, source[:200], actor)


async def import_csv(body: bytes, actor: Actor, source: str = "csv") -> dict[str, Any]:
    """Columns operator (name, USCC or id), period, subscribers. All or nothing: any bad line
    is named (line number, field, reason) and nothing is stored."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(f"the file is not UTF-8 text (byte {exc.start})", "body") from exc
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise DomainError(f"line 1: missing column(s) {', '.join(missing)}", field="body")
    at = {c: header.index(c) for c in CSV_COLUMNS}
    rows: list[tuple[int, str, int]] = []
    errors: list[str] = []
    seen: dict[tuple[int, str], int] = {}
    for line, rec in enumerate(reader, start=2):
        if not any(v.strip() for v in rec):
            continue
        try:
            if len(rec) != len(header):
                raise DomainError(f"{len(rec)} fields, the header has {len(header)}", "body")
            op = await _operator_id(rec[at["operator"]])
            label = parse(rec[at["period"]]).label
            n = _check(rec[at["subscribers"]])
            if (op, label) in seen:
                raise DomainError(f"same operator and period as line {seen[op, label]}", "period")
            seen[op, label] = line
            rows.append((op, label, n))
        except DomainError as exc:
            errors.append(f"line {line}: {exc.field}: {exc.message}")
    if errors:
        raise DomainError("; ".join(errors[:50]), field="body")
    async with engine().transaction():
        for op, label, n in rows:
            await _upsert(op, label, n, source, actor)
    return {"stored": len(rows)}
