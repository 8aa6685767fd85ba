"""One run lifecycle for every channel: store each provider event once, move the live run on,
and at the end hand the run to the ``probing.finish`` job (finish.py), never finishing it
inside the callback request.

    callback ─► channel.read_event ─► store once (dedupe key) + event_seq += 1
                    │ live:  channel.phase(names) ─► dialing → in_call (logged)
                    │        ended ─► claim "analysing" (one winner) ─► enqueue probing.finish
                    └ ended before: enqueue probing.finish again (a late event)

The late-event race: every new event bumps ``ProbeRun.event_seq`` in the statement that
stores it, and that statement returns the run's status as of its own write. A finish reads
``event_seq`` before the events and stores its results only where ``event_seq`` is still
that value (finish.py). So an event either is among the finish's inputs, or makes its store
fail (the finish starts again), or arrives after the results are stored — and then its
statement sees a finished run and enqueues a new finish. Nothing is ever half-applied.

On PostgreSQL storing is one round trip (webhooks come at hundreds per second per worker)
and commits without waiting for the WAL flush (``ASYNC_COMMIT``): a database crash can lose
the last fraction of a second of callbacks, never half of one; the provider keeps the call's
state and the reconciler fetches it for any run that does not finish. SQLite (the embedded
default) takes the plain path in one write transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from taskiq.kicker import AsyncKicker

from audit.db import ASYNC_COMMIT, engine, is_postgres, write_transaction
from audit.domain.auditlog.services import ENTRY_COLUMNS, entry_values, record
from audit.domain.probing.env import PROBE_ACTOR
from audit.domain.probing.finish import finish_run
from audit.domain.probing.tables import LIVE, REFRESHABLE, ProbeEvent, ProbeRun
from audit.errors import Conflict, DomainError, NotFound
from audit.jobs.broker import broker
from probes.channels.base import Channel, ChannelError, Event

log = structlog.get_logger("audit.probing")
FINISH_TASK = "probing.finish"
_ORDER = {"queued": 0, "dialing": 1, "in_call": 2}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Stored:
    inserted: bool
    status: str  # the run's status as of the statement that stored the event
    names: frozenset[str]  # ``kind:name`` of every event of the run, this one included


# Piccolo's raw() placeholders are {}; they become $1… in this order: run id, dedupe key,
# kind, name, at, params (JSON text), ref, ref, ref.
_STORE_PG = f"""
WITH {ASYNC_COMMIT}, run AS (
    SELECT id, provider_ref FROM probe_run, async_commit WHERE id = {{}}
), ins AS (
    INSERT INTO probe_event (run, dedupe_key, kind, name, at, params, received_at)
    SELECT run.id, {{}}, {{}}, {{}}, {{}}, {{}}::json, now() FROM run
    WHERE {{}}::text IS NULL OR run.provider_ref IS NULL OR run.provider_ref = ''
        OR run.provider_ref = {{}}::text
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING run
), bump AS (
    UPDATE probe_run SET event_seq = probe_run.event_seq + 1,
        provider_ref = COALESCE(NULLIF(probe_run.provider_ref, ''), {{}}::text)
    FROM ins WHERE probe_run.id = ins.run
    RETURNING probe_run.status
)
SELECT run.provider_ref, (SELECT status FROM bump) AS status,
    ARRAY(SELECT DISTINCT e.kind || ':' || e.name FROM probe_event e
          WHERE e.run = run.id) AS names
FROM run
"""


def _refused(run_id: int, event: Event, provider_ref: str | None) -> Conflict | None:
    if event.ref and provider_ref and event.ref != provider_ref:
        return Conflict(f"callback for {event.ref} does not belong to run {run_id}")
    return None


async def _store_pg(run_id: int, key: str, event: Event) -> Stored:
    params = json.dumps(dict(event.params), default=str)
    args = (run_id, key, event.kind, event.name, event.at, params, event.ref, event.ref, event.ref)
    rows: list[dict[str, Any]] = await ProbeEvent.raw(_STORE_PG, *args)
    if not rows:
        raise NotFound(f"probe run {run_id} not found")
    row = rows[0]
    if (refused := _refused(run_id, event, row["provider_ref"])) is not None:
        raise refused
    if row["status"] is None:
        return Stored(False, "", frozenset())
    # the statement's snapshot predates its own insert
    names = frozenset([*(row["names"] or []), f"{event.kind}:{event.name}"])
    return Stored(True, str(row["status"]), names)


async def _store_plain(run_id: int, key: str, event: Event) -> Stored:
    async with write_transaction():
        run = (
            await ProbeRun.select(ProbeRun.provider_ref, ProbeRun.status)
            .where(ProbeRun.id == run_id)
            .first()
        )
        if run is None:
            raise NotFound(f"probe run {run_id} not found")
        if (refused := _refused(run_id, event, run["provider_ref"])) is not None:
            raise refused
        inserted = (
            await ProbeEvent.insert(
                ProbeEvent(
                    run=run_id,
                    dedupe_key=key,
                    kind=event.kind,
                    name=event.name,
                    at=event.at,
                    params=dict(event.params),
                )
            )
            .on_conflict(target=ProbeEvent.dedupe_key, action="DO NOTHING")
            .returning(ProbeEvent.id)
        )
        if not inserted:
            return Stored(False, str(run["status"]), frozenset())
        values: dict[Any, Any] = {ProbeRun.event_seq: ProbeRun.event_seq + 1}
        if not run["provider_ref"] and event.ref:
            values[ProbeRun.provider_ref] = event.ref
        await ProbeRun.update(values).where(ProbeRun.id == run_id)
        rows = await ProbeEvent.select(ProbeEvent.kind, ProbeEvent.name).where(
            ProbeEvent.run == run_id
        )
    return Stored(True, str(run["status"]), frozenset(f"{r['kind']}:{r['name']}" for r in rows))


async def store(run_id: int, channel: Channel, kind: str, params: Mapping[str, Any]) -> Stored:
    """Store a (signature-checked) callback once; ``inserted`` False for a repeat."""
    try:
        event = channel.read_event(kind, params)
    except ChannelError as exc:
        if not await ProbeRun.exists().where(ProbeRun.id == run_id):
            raise NotFound(f"probe run {run_id} not found") from exc
        raise DomainError(exc.message, field=exc.field) from exc
    key = f"{run_id}:{event.key}"[:200]
    stored = await (_store_pg if is_postgres() else _store_plain)(run_id, key, event)
    if stored.inserted:
        channel.deliver(run_id, event)  # a probe running in this process (chat API replies)
    return stored


async def receive(
    run_id: int, channel: Channel, kind: str, params: Mapping[str, Any], *, inline: bool = False
) -> bool:
    """A provider event for a run: store it once, then move the run on. False: a repeat.
    ``inline``: finish in this call (an explicit reconcile), not in a job."""
    stored = await store(run_id, channel, kind, params)
    if stored.inserted:
        await advance(run_id, channel, kind, stored.status, stored.names, inline=inline)
    return stored.inserted


async def advance(
    run_id: int,
    channel: Channel,
    kind: str | None,
    status: str,
    names: frozenset[str],
    *,
    inline: bool = False,
) -> None:
    """Act on a new event, given the run's status as of storing it."""
    finish: Callable[[int], Awaitable[object]] = finish_run if inline else enqueue_finish
    if status in REFRESHABLE:
        await finish(run_id)  # a late event: the finish recomputes (or sees nothing new)
        return
    if status not in LIVE or (kind is not None and kind not in channel.phase_kinds):
        return  # analysing: that finish's store fails on the new event_seq and redoes
    phase = channel.phase(set(names))
    if phase == "ended":
        claimed = (
            await ProbeRun.update({ProbeRun.status: "analysing", ProbeRun.updated_at: now()})
            .where((ProbeRun.id == run_id) & ProbeRun.status.is_in(list(LIVE)))
            .returning(ProbeRun.id)
        )
        if claimed:  # one winner, however many terminal events race here
            await finish(run_id)
        return
    if _ORDER[phase] > _ORDER[status]:
        await _move_live(run_id, status, phase)


async def enqueue_finish(run_id: int) -> None:
    """Send ``probing.finish`` by name (tasks.py registers it and imports this module)."""
    kicker: AsyncKicker[[int], str] = AsyncKicker(FINISH_TASK, broker, {})
    await kicker.kiq(run_id)


# PostgreSQL: the move and its audit entry in one statement (so they commit together); the
# webhook hot path makes this move for every answered call.
_MOVE_PG = f"""
WITH {ASYNC_COMMIT}, moved AS (
    UPDATE probe_run SET status = {{}}, updated_at = {{}}
    FROM async_commit WHERE id = {{}} AND status = {{}}
    RETURNING id
)
INSERT INTO audit_entry ({ENTRY_COLUMNS})
SELECT {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}::json, {{}}::json, {{}} FROM moved
"""


async def _move_live(run_id: int, status: str, state: str) -> None:
    """Move a live run from ``status`` to ``state`` (no-op if it moved meanwhile), logged."""
    before, after = {"status": status}, {"status": state}
    entry = ("probe_run.status", "probe_run", run_id, before, after)
    if is_postgres():
        values = entry_values(PROBE_ACTOR, *entry)
        await ProbeRun.raw(_MOVE_PG, state, now(), run_id, status, *values)
        return
    async with engine().transaction():
        moved = (
            await ProbeRun.update({ProbeRun.status: state, ProbeRun.updated_at: now()})
            .where((ProbeRun.id == run_id) & (ProbeRun.status == status))
            .returning(ProbeRun.id)
        )
        if moved:
            await record(PROBE_ACTOR, *entry)
