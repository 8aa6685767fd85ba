"""Appending to the audit log. There is deliberately no update or delete here."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from audit.context import Actor, request_id_var
from audit.domain.auditlog.tables import AuditEntry
from audit.validation import clip_stored, load_stored

_MAX_SNAPSHOT = 4000  # "short before/after": large values are cut, never the whole blob


def _short(value: Any) -> Any:
    if value is None:
        return None
    text = json.dumps(clip_stored(value), ensure_ascii=False, default=str)
    if len(text) <= _MAX_SNAPSHOT:
        return json.loads(text)
    return {"truncated": text[:_MAX_SNAPSHOT]}


ENTRY_FIELDS = ("at", "actor_id", "actor", "action", "entity", "entity_id", "before", "after",
                "request_id")  # fmt: skip
ENTRY_COLUMNS = ", ".join(ENTRY_FIELDS)


def entry_values(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: Any = None,
    after: Any = None,
) -> tuple[Any, ...]:
    """One entry's values in ``ENTRY_FIELDS`` order (before/after as JSON text): what
    :func:`record` inserts, and what a hot path appends in the same SQL statement as the
    write it describes."""
    snap = [_short(v) for v in (before, after)]
    return (
        dt.datetime.now(dt.UTC),
        actor.id,
        actor.name,
        action,
        entity,
        str(entity_id),
        *(None if v is None else json.dumps(v, ensure_ascii=False) for v in snap),
        request_id_var.get(),
    )


async def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one entry; call inside the same transaction as the write it describes."""
    values = entry_values(actor, action, entity, entity_id, before, after)
    await AuditEntry.insert(AuditEntry(**dict(zip(ENTRY_FIELDS, values, strict=True)))).run()


async def entries(
    entity: str | None = None,
    entity_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Newest first; ``since``/``until`` bound ``at`` (until exclusive).

    Newest is the id order; with a date bound it is (at, id), which the (at, id) index
    serves: ordered by id, PostgreSQL walks the primary key from the newest entry until it
    reaches the dates asked for (hundreds of thousands of rows for a day last year)."""
    query = AuditEntry.select().limit(limit).offset(offset)
    if since is not None or until is not None:
        query = query.order_by(AuditEntry.at, AuditEntry.id, ascending=False)
    else:
        query = query.order_by(AuditEntry.id, ascending=False)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    rows = await query.run()
    for row in rows:
        for key in ("before", "after"):
            # Any stored entry renders, even one written before the edge bounds existed
            # (entries cannot be removed: one bad row would break the log for good).
            row[key] = clip_stored(load_stored(row[key]))
    return rows
