"""Voice probe runs as the API asks for them: start one (checked, then the generic
``runs.start_run``), read one, reconcile one with the provider.

    start_voice_run ─► runs.start_run("voice") ─► Twilio (real or simulator) ─► webhooks
        ─► lifecycle ─► probing.finish: dual WAV ─► evidence ─► analysers ─► measures ─► items

Events go through the one lifecycle of every channel (lifecycle.py): stored once, the live
run moved on from the *set* of its events, and the end handed to the ``probing.finish`` job.
"""

from __future__ import annotations

import json
from typing import Any

from audit.context import Actor
from audit.domain.probing import lifecycle, runs
from audit.domain.probing.access import check_readable, load_run
from audit.domain.probing.env import PROBE_ACTOR, AppEnv
from audit.domain.probing.listening import check_listen_time
from audit.domain.probing.schemas import StartVoiceRun
from audit.domain.probing.store import as_run, channel_of
from audit.domain.probing.tables import LIVE
from audit.domain.probing.telephony import (
    TelephonyNotConfigured,
    caller_ids,
    current_account,
)
from audit.errors import Conflict, DomainError, NotFound
from probes.channels.base import ProbeError

__all__ = ["PROBE_ACTOR", "get_run", "reconcile", "start_voice_run"]


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
    """The API's voice request on the generic start (runs.start_run, channel ``voice``):
    a venue's first phone, an inspection's venue or a bare number; the listening time is
    checked against the protocol that will judge the call and the caller id defaulted
    before anything is stored. Provider errors end the run as ``probe_error``."""
    where = await _resolve(data, actor)
    await check_listen_time(
        data.listen_s, plan_id=where["plan_id"], inspection_id=data.inspection_id
    )
    try:
        current_account()
    except TelephonyNotConfigured as exc:
        raise Conflict(str(exc)) from exc
    caller = data.caller_id or next(iter(caller_ids()), None)
    if caller is None:
        raise DomainError(
            "no caller id: give caller_id or set AUDIT_TWILIO_CALLER_IDS", "caller_id"
        )
    options = {"listen_s": data.listen_s, "dtmf": data.dtmf,
               "ring_seconds": data.ring_seconds, "company": where["company"]}  # fmt: skip
    return await runs.start_run(
        "voice", actor, venue_id=where["venue_id"], plan_id=where["plan_id"],
        inspection_id=data.inspection_id, target=where["target"], caller_id=caller,
        options=options, campaign_run_id=data.campaign_run_id, operator_id=where["operator_id"],
    )  # fmt: skip


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
            await runs.probe_error(run_id, exc.code, exc.reason, True, actor)
        return await load_run(run_id)
    for kind, params in events:
        await lifecycle.receive(run_id, channel, kind, params, inline=True)
    return await load_run(run_id)
