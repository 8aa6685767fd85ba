"""Probe runs: start a voice probe, take in provider events, finish with measures.

    start_voice_run ─► Twilio (real or simulator) ─► webhooks ─► receive_event ─► advance
                                                                        │
                      ended? ─► fetch dual WAV ─► evidence (SHA-256) ─► analysers ─► measures
                                                                        └─► inspection items

``advance`` recomputes the run from the *set* of its events every time, so repeats change
nothing and order does not matter. Only one caller wins the move to ``analysing``
(conditional update), so a duplicated ``completed`` never analyses twice.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import structlog

from audit.context import Actor
from audit.db import ASYNC_COMMIT, engine, is_postgres
from audit.domain.auditlog.services import ENTRY_COLUMNS, entry_values, record
from audit.domain.probing import finish
from audit.domain.probing.access import check_readable, load_run
from audit.domain.probing.listening import check_listen_time
from audit.domain.probing.schemas import StartVoiceRun
from audit.domain.probing.tables import FINAL, ProbeEvent, ProbeRun
from audit.domain.probing.telephony import (
    TelephonyNotConfigured,
    caller_ids,
    current_account,
)
from audit.errors import Conflict, DomainError, NotFound
from audit.settings import get_settings
from probes.channels.voice.events import call_state
from probes.channels.voice.twilio import ProbeCallError, ProbeCallRequest, VoiceChannel

log = structlog.get_logger("audit.probing")
PROBE_ACTOR = finish.PROBE_ACTOR
_LIVE = ("queued", "dialing", "in_call")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def callback_urls(run_id: int) -> tuple[str, str]:
    base = get_settings().public_base_url.rstrip("/")
    return (
        f"{base}/webhooks/twilio/status?run={run_id}",
        f"{base}/webhooks/twilio/transcription?run={run_id}",
    )


async def _resolve(data: StartVoiceRun, actor: Actor) -> dict[str, Any]:
    """Venue, operator, plan, inspection and target number for a new run (validated)."""
    from audit.domain.inspections.access import get_writable
    from audit.domain.operators.tables import Venue
    from audit.domain.plans.access import get_plan

    out: dict[str, Any] = {"venue_id": data.venue_id, "plan_id": data.plan_id}
    if data.inspection_id is not None:
        inspection = await get_writable(data.inspection_id, actor)
        out["venue_id"] = inspection["venue_id"]
        out["plan_id"] = inspection["plan_id"]
    venue = None
    if out["venue_id"] is not None:
        venue = await Venue.select().where(Venue._meta.primary_key == out["venue_id"]).first()
        if venue is None:
            raise NotFound(f"venue {out['venue_id']} not found", field="venue_id")
    plan = await get_plan(out["plan_id"], actor) if out["plan_id"] is not None else None
    if actor.is_operator:
        raise NotFound("no such venue or plan", field="venue_id")
    raw_phones = venue["phones"] if venue else []
    # Piccolo returns JSON columns as text on SQLite and as values on PostgreSQL.
    phones = json.loads(raw_phones) if isinstance(raw_phones, str) else list(raw_phones or [])
    target = data.target or (phones[0] if phones else None)
    if target is None:
        raise DomainError("give a target number or a venue with a phone number", field="target")
    out.update(
        operator_id=venue["operator"] if venue else (plan["operator_id"] if plan else None),
        target=target,
        company=data.company or (venue["company_name"] if venue else None),
        covert=bool(plan and plan["method"] == "covert"),
    )
    return out


async def start_voice_run(data: StartVoiceRun, actor: Actor) -> dict[str, Any]:
    """Create a run and place the call. Provider errors end the run as ``probe_error``."""
    where = await _resolve(data, actor)
    await check_listen_time(
        data.listen_s, plan_id=where["plan_id"], inspection_id=data.inspection_id
    )
    try:
        account = current_account()
    except TelephonyNotConfigured as exc:
        raise Conflict(str(exc)) from exc
    caller = data.caller_id or next(iter(caller_ids()), None)
    if caller is None:
        raise DomainError(
            "no caller id: give caller_id or set AUDIT_TWILIO_CALLER_IDS", "caller_id"
        )
    params = {
        "listen_s": data.listen_s,
        "dtmf": data.dtmf,
        "ring_seconds": data.ring_seconds,
        "company": where["company"],
        "language": "zh-CN",
    }
    async with engine().transaction():
        rows = await ProbeRun.insert(
            ProbeRun(
                kind="voice",
                status="queued",
                venue=where["venue_id"],
                operator=where["operator_id"],
                plan=where["plan_id"],
                inspection=data.inspection_id,
                campaign_run_id=data.campaign_run_id,
                target=where["target"],
                caller_id=caller,
                covert=where["covert"],
                provider="twilio",
                params=params,
                created_by=actor.id,
                created_at=now(),
                updated_at=now(),
            )
        ).returning(ProbeRun.id)
        run_id = int(rows[0]["id"])
        await record(
            actor, "probe_run.create", "probe_run", run_id, None, {"target": where["target"]}
        )
    status_url, transcription_url = callback_urls(run_id)
    request = ProbeCallRequest(
        to=where["target"],
        from_=caller,
        status_callback_url=status_url,
        transcription_callback_url=transcription_url,
        listen_s=data.listen_s,
        dtmf=data.dtmf,
    )
    try:
        async with VoiceChannel(account) as voice:
            placed = await voice.place_call(request)
    except ProbeCallError as exc:
        await _probe_error(run_id, exc.code, exc.reason, exc.permanent, actor)
    else:
        async with engine().transaction():
            await ProbeRun.update(
                {ProbeRun.provider_ref: placed.sid, ProbeRun.started_at: now()}
            ).where(ProbeRun.id == run_id)
            # Webhooks may already have moved the run on; only a queued run becomes dialing.
            await ProbeRun.update({ProbeRun.status: "dialing", ProbeRun.updated_at: now()}).where(
                (ProbeRun.id == run_id) & (ProbeRun.status == "queued")
            )
            await record(actor, "probe_run.dial", "probe_run", run_id, None, {"call": placed.sid})
    return await load_run(run_id)


async def _probe_error(
    run_id: int, code: int | None, reason: str, permanent: bool, actor: Actor
) -> None:
    async with engine().transaction():
        await ProbeRun.update(
            {
                ProbeRun.status: "probe_error",
                ProbeRun.error_code: code,
                ProbeRun.error_reason: reason[:2000],
                ProbeRun.error_permanent: permanent,
                ProbeRun.ended_at: now(),
                ProbeRun.updated_at: now(),
            }
        ).where(ProbeRun.id == run_id)
        after = {"code": code, "reason": reason, "permanent": permanent}
        await record(actor, "probe_run.error", "probe_run", run_id, None, after)
    log.warning("probe call failed", run=run_id, code=code, permanent=permanent)


def event_of(kind: str, params: dict[str, str]) -> tuple[str, str, dt.datetime | None]:
    """(dedupe suffix, name, provider time) of a Twilio callback."""
    from email.utils import parsedate_to_datetime

    if kind == "status":
        name = params.get("CallStatus", "")
        stamp = params.get("Timestamp")
        at = parsedate_to_datetime(stamp) if stamp else None
        return f"status:{params.get('CallSid', '')}:{name}", name, at
    name = params.get("TranscriptionEvent", "")
    stamp = params.get("Timestamp")
    at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None
    key = f"transcription:{params.get('TranscriptionSid', '')}:{params.get('SequenceId', '')}"
    return key, name, at


async def receive_event(run_id: int, kind: str, params: dict[str, str]) -> bool:
    """Store a (signature-checked) callback once; False when it was a repeat."""
    run = (
        await ProbeRun.select(ProbeRun.id, ProbeRun.provider_ref)
        .where(ProbeRun.id == run_id)
        .first()
    )
    if run is None:
        raise NotFound(f"probe run {run_id} not found")
    call_sid = params.get("CallSid", "")
    if run["provider_ref"] and call_sid != run["provider_ref"]:
        raise Conflict(f"callback for call {call_sid} does not belong to run {run_id}")
    try:
        suffix, name, at = event_of(kind, params)
    except (TypeError, ValueError) as exc:
        raise DomainError(f"unreadable Timestamp in callback: {exc}", field="Timestamp") from exc
    key = f"{run_id}:{suffix}"[:200]
    # One round trip: the unique dedupe key makes a repeat (even a concurrent one) insert nothing.
    inserted = (
        await ProbeEvent.insert(
            ProbeEvent(run=run_id, dedupe_key=key, kind=kind, name=name, at=at, params=params)
        )
        .on_conflict(target=ProbeEvent.dedupe_key, action="DO NOTHING")
        .returning(ProbeEvent.id)
    )
    if not inserted:
        return False
    if not run["provider_ref"] and call_sid:
        await ProbeRun.update({ProbeRun.provider_ref: call_sid}).where(
            (ProbeRun.id == run_id) & ProbeRun.provider_ref.is_null()
        )
    return True


async def events_of(run_id: int) -> list[dict[str, Any]]:
    rows = (
        await ProbeEvent.select(ProbeEvent.kind, ProbeEvent.name, ProbeEvent.at, ProbeEvent.params)
        .where(ProbeEvent.run == run_id)
        .order_by(ProbeEvent.at)
        .order_by(ProbeEvent.id)
    )
    for row in rows:
        if isinstance(row["params"], str):
            row["params"] = json.loads(row["params"])
    return rows


async def advance(
    run_id: int, kind: str | None = None, *, known: tuple[str, set[str]] | None = None
) -> None:
    """Bring the run up to date with its events (safe to call any number of times).

    ``kind`` is the kind of the event that just arrived, if any: while the call is live only
    status events move the run, so a transcription event needs no recomputation then.
    ``known`` = (run status, status names received) when the caller has just read them.
    """
    if known is None:
        run = await ProbeRun.select(ProbeRun.status).where(ProbeRun.id == run_id).first()
        if run is None:
            raise NotFound(f"probe run {run_id} not found")
        status, names = str(run["status"]), None
    else:
        status, names = known[0], known[1]
    if status in _LIVE:
        if kind == "transcription":
            return
        if names is None:
            rows = await ProbeEvent.select(ProbeEvent.name).where(
                (ProbeEvent.run == run_id) & (ProbeEvent.kind == "status")
            )
            names = {str(r["name"]) for r in rows}
        # The live state comes from the set of status names alone (order-independent).
        state = call_state([{"kind": "status", "name": n} for n in names])
        if state == "ended":
            claimed = (
                await ProbeRun.update({ProbeRun.status: "analysing", ProbeRun.updated_at: now()})
                .where((ProbeRun.id == run_id) & ProbeRun.status.is_in(list(_LIVE)))
                .returning(ProbeRun.id)
            )
            if claimed:
                await finish.finish_voice_run(run_id)
            return
        order = {"queued": 0, "dialing": 1, "in_call": 2}
        if order[state] > order[status]:
            await _move_live(run_id, status, state)
        return
    if status in FINAL and status != "probe_error":
        await finish.refresh_measures(run_id)


# PostgreSQL: the move and its audit entry in one statement (so they commit together); the
# webhook hot path makes this move for every answered call (asynchronous commit: see
# callbacks.py for why a live move may skip the WAL flush).
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


async def get_run(run_id: int, actor: Actor) -> dict[str, Any]:
    run = await load_run(run_id)
    await check_readable(run, actor)
    return run


async def reconcile(run_id: int, actor: Actor) -> dict[str, Any]:
    """Ask the provider how the call went (webhooks lost, worker died) and catch up."""
    run = await load_run(run_id)
    if run["kind"] != "voice" or not run["provider_ref"] or run["status"] not in _LIVE:
        return run
    async with VoiceChannel(current_account()) as voice:
        try:
            call = await voice.fetch_call(run["provider_ref"])
        except ProbeCallError as exc:
            if exc.permanent:
                await _probe_error(run_id, exc.code, exc.reason, True, actor)
            return await load_run(run_id)
    for params in finish.events_from_call_resource(run["provider_ref"], call):
        await receive_event(run_id, "status", params)
    await advance(run_id)
    return await load_run(run_id)
