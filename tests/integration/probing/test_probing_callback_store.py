"""Storing a callback: a live run's move is in the audit log once; a callback whose CallSid
belongs to another call is refused (409) and stores nothing; an unknown run is 404. These pin
the one-statement path on PostgreSQL and the plain path on SQLite alike."""

from __future__ import annotations

from typing import Any

import pytest
from probing_support import AUTH_TOKEN, PUBLIC, Live

from audit.domain.auditlog.services import entries
from audit.domain.probing.tables import ProbeEvent
from probes.twilio_sim import twilio_signature


async def _post(live: Live, run_id: int, params: dict[str, str]) -> int:
    path = f"/webhooks/twilio/status?run={run_id}"
    sig = twilio_signature(AUTH_TOKEN, PUBLIC + path, params)
    r = await live.http.post(path, data=params, headers={"X-Twilio-Signature": sig})
    return r.status_code


async def test_live_move_is_logged_once(live: Live, hotline: dict[str, Any]) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550101")
    run = await live.finished(run)
    moves = await entries(entity="probe_run", entity_id=str(run["id"]), action="probe_run.status")
    assert [(e["before"], e["after"]) for e in moves] == [
        ({"status": "dialing"}, {"status": "in_call"})
    ]
    assert moves[0]["actor"] and moves[0]["actor_id"] is None  # the probe, not a person
    # replaying the answer changes nothing and logs nothing more
    params = {
        "AccountSid": "AC" + "5" * 32,
        "CallSid": run["provider_ref"],
        "CallStatus": "in-progress",
        "Timestamp": "Tue, 10 Mar 2026 06:00:10 +0000",
    }
    assert await _post(live, run["id"], params) == 204
    again = await entries(entity="probe_run", entity_id=str(run["id"]), action="probe_run.status")
    assert len(again) == 1


async def test_other_call_refused_and_unknown_run(live: Live, hotline: dict[str, Any]) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550101")
    run = await live.finished(run)
    before = await ProbeEvent.count().where(ProbeEvent.run == run["id"])
    params = {
        "AccountSid": "AC" + "5" * 32,
        "CallSid": "CA" + "f" * 32,
        "CallStatus": "ringing",
        "Timestamp": "Tue, 10 Mar 2026 06:00:02 +0000",
    }
    assert await _post(live, run["id"], params) == 409
    assert await ProbeEvent.count().where(ProbeEvent.run == run["id"]) == before
    assert await _post(live, 2_000_000_000, params) == 404


async def test_async_commit_is_scoped_to_its_statement(db: str) -> None:
    """PostgreSQL: the callback statements skip the WAL-flush wait for their own transaction
    only; the session's setting is back afterwards (the test database itself runs with
    synchronous_commit off for speed, so the session turns it on first)."""
    if db != "postgres":
        pytest.skip("PostgreSQL only: SQLite takes the plain path")
    import asyncpg

    from audit.db import ASYNC_COMMIT
    from audit.settings import get_settings

    conn = await asyncpg.connect(get_settings().database_url)
    try:
        await conn.execute("SET synchronous_commit = on")
        async with conn.transaction():
            await conn.fetchval(f"WITH {ASYNC_COMMIT} SELECT was FROM async_commit")
            inside = await conn.fetchval("SELECT current_setting('synchronous_commit')")
        after = await conn.fetchval("SELECT current_setting('synchronous_commit')")
    finally:
        await conn.close()
    assert (inside, after) == ("off", "on")
