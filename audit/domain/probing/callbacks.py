"""Receiving a (signature-checked) Twilio callback: store it once, then advance its run.

On PostgreSQL the hot path is one round trip: a single statement reads the run, inserts the
event unless it is a repeat or belongs to another call, and returns the status names the run
has received, which is all ``advance`` needs while the call is live. Webhooks arrive at
hundreds per second per worker, and the four separate queries this replaces cost most of
the time. SQLite (the embedded default) takes the plain path.

These statements commit without waiting for the WAL flush (``synchronous_commit`` off for
that one transaction; PostgreSQL docs, "Asynchronous Commit"): the flush is what bounds the
tail latency on a slow disk. A crash of the database can lose the last fraction of a second
of callbacks, never half of one; the provider keeps the call's state, and the reconciler
fetches it for any run that does not finish (as for a webhook lost on the network). Any
later ordinary commit — the move to ``analysing``, the results — flushes them first.
"""

from __future__ import annotations

import json
from typing import Any

from audit.db import ASYNC_COMMIT, is_postgres
from audit.domain.probing import services
from audit.domain.probing.tables import ProbeEvent, ProbeRun
from audit.errors import Conflict, NotFound

# Piccolo's raw() placeholders are {}; they become $1… in this order:
# run id, dedupe key, kind, name, at, params (JSON text), CallSid.
_STORE = f"""
WITH {ASYNC_COMMIT}, run AS (
    SELECT id, provider_ref, status FROM probe_run, async_commit WHERE id = {{}}
), ins AS (
    INSERT INTO probe_event (run, dedupe_key, kind, name, at, params, received_at)
    SELECT run.id, {{}}, {{}}, {{}}, {{}}, {{}}::json, now() FROM run
    WHERE run.provider_ref IS NULL OR run.provider_ref = '' OR run.provider_ref = {{}}
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id
)
SELECT run.provider_ref, run.status, EXISTS (SELECT 1 FROM ins) AS inserted,
    ARRAY(SELECT DISTINCT e.name FROM probe_event e
          WHERE e.run = run.id AND e.kind = 'status') AS names
FROM run
"""


async def receive_callback(run_id: int, kind: str, params: dict[str, str]) -> None:
    if not is_postgres():
        if await services.receive_event(run_id, kind, params):
            await services.advance(run_id, kind)
        return
    try:
        suffix, name, at = services.event_of(kind, params)
    except (TypeError, ValueError):
        # the plain path names the unreadable field (after checking the run exists)
        await services.receive_event(run_id, kind, params)
        return
    call_sid = params.get("CallSid", "")
    key = f"{run_id}:{suffix}"[:200]
    rows: list[dict[str, Any]] = await ProbeEvent.raw(
        _STORE, run_id, key, kind, name, at, json.dumps(params), call_sid
    )
    if not rows:
        raise NotFound(f"probe run {run_id} not found")
    row = rows[0]
    if row["provider_ref"] and call_sid != row["provider_ref"]:
        raise Conflict(f"callback for call {call_sid} does not belong to run {run_id}")
    if not row["inserted"]:
        return  # a repeat: stored before, nothing to do
    if not row["provider_ref"] and call_sid:
        await ProbeRun.update({ProbeRun.provider_ref: call_sid}).where(
            (ProbeRun.id == run_id) & ProbeRun.provider_ref.is_null()
        )
    names = set(row["names"] or [])
    if kind == "status":
        names.add(name)  # the statement's snapshot predates its own insert
    await services.advance(run_id, kind, known=(str(row["status"]), names))
