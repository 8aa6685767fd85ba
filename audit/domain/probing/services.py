"""Probe runs: start a voice probe, take in provider events, finish with measures.

    start_voice_run ─► Twilio (real or simulator) ─► webhooks ─► receive_event ─► advance
                                                                        │
                      ended? ─► fetch dual WAV ─► evidence (SHA-256) ─► analysers ─► measures
                                                                        └─► inspection items

Events go through the one lifecycle of every channel (lifecycle.py): stored once, the live
run moved on from the *set* of its events, and the end handed to the ``probing.finish`` job.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import structlog

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.probing import lifecycle
from audit.domain.probing.access import check_readable, load_run
from audit.domain.probing.env import PROBE_ACTOR, AppEnv
from audit.domain.probing.listening import check_listen_time
from audit.domain.probing.schemas import StartVoiceRun
from audit.domain.probing.store import as_run, channel_of
from audit.domain.probing.tables import LIVE, ProbeRun
from audit.domain.probing.telephony import (
    TelephonyNotConfigured,
    caller_ids,
    current_account,
)
from audit.errors import Conflict, DomainError, NotFound
from audit.settings import get_settings
from probes.channels.base import ProbeError
from probes.channels.voice.twilio import ProbeCallError, ProbeCallRequest, VoiceChannel

log = structlog.get_logger("audit.probing")
__all__ = ["PROBE_ACTOR", "get_run", "reconcile", "start_voice_run"]


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


async def get_run(run_id: int, actor: Actor) -> dict[str, Any]:
    run = await load_run(run_id)
    await check_readable(run, actor)
    return run


async def reconcile(run_id: int, actor: Actor) -> dict[str, Any]:
    """Ask the provider how the probe went (webhooks lost, worker died) and catch up; an
    ended run is finished in this call."""
    run = await load_run(run_id)
    if run["status"] not in LIVE:  # the channel decides what it can ask (voice: the call SID)
        return run
    channel = channel_of(run)
    try:
        events = await channel.reconcile(as_run(run), AppEnv())
    except ProbeError as exc:
        if exc.permanent:
            await _probe_error(run_id, exc.code, exc.reason, True, actor)
        return await load_run(run_id)
    for kind, params in events:
        await lifecycle.receive(run_id, channel, kind, params, inline=True)
    return await load_run(run_id)
