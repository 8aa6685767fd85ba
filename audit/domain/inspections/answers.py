"""Storing one item's answer so that replays and races cannot duplicate or reorder it.

The phone form queues answers while offline and replays them when the network is back; a
reload can replay one that already arrived. Each answer therefore carries the browser's id
(``client_id``) and the time it was given (``answered_at``). The item keeps the latest answer
by (answered_at, client_id):

- the same client_id again ⇒ ``duplicate``: nothing is written, nothing is logged;
- an answer older than the stored one ⇒ ``stale``: the newer one stays (a queued answer from
  a phone that was offline does not undo what the partner recorded after it);
- otherwise ⇒ ``applied``, with one audit-log entry.

Times from the browser are clamped to [inspection start, server now], so a phone whose clock
runs ahead cannot pin its answer against later corrections. Concurrent writes to one item
compare-and-set on ``revision``; a lost race re-reads and decides again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from audit.context import Actor
from audit.db import write_transaction
from audit.domain.auditlog.services import record
from audit.domain.inspections.tables import ItemResult

Outcome = Literal["applied", "duplicate", "stale"]
_ATTEMPTS = 5


@dataclass(frozen=True)
class AnswerWrite:
    item_id: str
    result: str
    note: str = ""
    measured_value: str = ""
    client_id: str | None = None
    answered_at: dt.datetime | None = None  # when the inspector gave it (browser clock)


def is_unique_violation(exc: BaseException) -> bool:
    """A concurrent insert of the same key, on SQLite or PostgreSQL."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, asyncpg.UniqueViolationError)


def effective_time(
    given: dt.datetime | None, started_at: dt.datetime | None, now: dt.datetime
) -> dt.datetime:
    if given is None:
        return now
    when = min(given.astimezone(dt.UTC), now)
    if started_at is not None:
        when = max(when, started_at.astimezone(dt.UTC))
    return when


def _order(when: dt.datetime | None, client_id: str | None) -> tuple[dt.datetime, str]:
    return (when or dt.datetime.min.replace(tzinfo=dt.UTC), client_id or "")


async def _current(inspection_id: int, item_id: str) -> dict[str, Any] | None:
    return (
        await ItemResult.select(
            ItemResult.id,
            ItemResult.result,
            ItemResult.note,
            ItemResult.measured_value,
            ItemResult.source,
            ItemResult.client_id,
            ItemResult.answered_at,
            ItemResult.recorded_at,
            ItemResult.revision,
        )
        .where((ItemResult.inspection == inspection_id) & (ItemResult.item_id == item_id))
        .first()
    )


def _decide(existing: dict[str, Any] | None, client_id: str | None, when: dt.datetime) -> Outcome:
    if existing is None:
        return "applied"
    if client_id is not None and existing["client_id"] == client_id:
        return "duplicate"
    stored = existing["answered_at"] or existing["recorded_at"]
    if _order(when, client_id) <= _order(stored, existing["client_id"]):
        return "stale"
    return "applied"


async def upsert_answer(
    inspection: dict[str, Any],
    write: AnswerWrite,
    actor: Actor,
    measures: Mapping[str, Any] | None = None,
    source: str = "manual",
) -> Outcome:
    """Store ``write`` if it is the item's latest answer; see the module doc for the rule."""
    inspection_id = inspection["id"]
    for _ in range(_ATTEMPTS):
        now = dt.datetime.now(dt.UTC)
        when = effective_time(write.answered_at, inspection.get("started_at"), now)
        try:
            async with write_transaction():
                existing = await _current(inspection_id, write.item_id)
                outcome = _decide(existing, write.client_id, when)
                if outcome != "applied":
                    return outcome
                if not await _store(inspection_id, write, existing, when, now, actor, measures,
                                    source):  # fmt: skip
                    continue  # another write changed the item meanwhile: decide again
                after = {
                    "item_id": write.item_id,
                    "result": write.result,
                    "note": write.note,
                    "measured_value": write.measured_value,
                    "source": source,
                    "client_id": write.client_id,
                    "answered_at": when.isoformat(),
                }
                before = None
                if existing is not None:
                    before = {k: existing[k] for k in ("result", "note", "measured_value")}
                await record(actor, "inspection.answer", "inspection", inspection_id, before, after)
                return "applied"
        except Exception as exc:
            if not is_unique_violation(exc):
                raise
            # a concurrent first answer to the same item won the insert: decide again
    raise RuntimeError(f"item {write.item_id!r}: too many concurrent writes")


async def _store(
    inspection_id: int,
    write: AnswerWrite,
    existing: dict[str, Any] | None,
    when: dt.datetime,
    now: dt.datetime,
    actor: Actor,
    measures: Mapping[str, Any] | None,
    source: str,
) -> bool:
    values: dict[Any, Any] = {
        ItemResult.result: write.result,
        ItemResult.note: write.note,
        ItemResult.measured_value: write.measured_value,
        ItemResult.measures: dict(measures) if measures is not None else None,
        ItemResult.source: source,
        ItemResult.recorded_by: actor.id,
        ItemResult.recorded_by_name: actor.name,
        ItemResult.recorded_at: now,
        ItemResult.client_id: write.client_id,
        ItemResult.answered_at: when,
    }
    if existing is None:
        await ItemResult.insert(
            ItemResult(
                inspection=inspection_id,
                item_id=write.item_id,
                revision=1,
                **{column._meta.name: value for column, value in values.items()},
            )
        )
        return True
    values[ItemResult.revision] = existing["revision"] + 1
    rows = (
        await ItemResult.update(values)
        .where((ItemResult.id == existing["id"]) & (ItemResult.revision == existing["revision"]))
        .returning(ItemResult.id)
    )
    return bool(rows)
