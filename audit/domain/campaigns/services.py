"""Probe campaigns: creation, planning and the lifecycle draft → scheduled → running →
paused → completed/canceled.

Pausing stops new runs (queued runs go back to planned) and lets running ones finish.
Cancelling cancels every run not yet running. Completion is noticed by the dispatcher
(``audit.domain.campaigns.dispatch``) when no run is left to do.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from pydantic import ValidationError

from audit.context import Actor
from audit.db import write_transaction
from audit.domain.auditlog.services import record
from audit.domain.campaigns.probe_bridge import target_key
from audit.domain.campaigns.schedule import (
    Bounds,
    PlanningError,
    PlanTarget,
    ScheduleSpec,
    check_within,
    plan_runs,
)
from audit.domain.campaigns.schemas import CampaignIn
from audit.domain.campaigns.tables import CampaignRun, CampaignTarget, ProbeCampaign
from audit.domain.operators.tables import Venue
from audit.domain.plans import access as plan_access
from audit.domain.plans import confidentiality
from audit.domain.probing.chat import CHAT_VENUE_KINDS
from audit.domain.probing.listening import check_listen_time
from audit.errors import DomainError, Forbidden, InvalidTransition, NotFound
from audit.jobs.config import get_job_settings
from audit.settings import get_settings

# action → (allowed from, to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "schedule": (("draft",), "scheduled"),
    "start": (("scheduled",), "running"),
    "pause": (("scheduled", "running"), "paused"),
    "resume": (("paused",), "running"),
    "cancel": (("draft", "scheduled", "running", "paused"), "canceled"),
}
VOICE_KINDS = ("hotline", "info_line", "business_hall", "agency_point")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _decode(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


async def get_campaign(campaign_id: int, actor: Actor) -> dict[str, Any]:
    """The campaign; for operator users only what confidentiality rule 3 lets them see (no
    schedule, seed, caller IDs or targets — not even for open plans)."""
    row = await load_campaign(campaign_id, actor)
    return confidentiality.operator_view_of_campaign(row) if actor.is_operator else row


async def campaign_results(campaign_id: int, actor: Actor) -> dict[str, Any]:
    """The whole campaign, for showing its results: operator users only once the plan is
    published (rule 2), else 404 as for a missing campaign."""
    row = await load_campaign(campaign_id, actor)
    if actor.is_operator:
        plan = await plan_access.get_plan(row["plan"], actor)
        if not confidentiality.results_released(plan):
            raise NotFound(f"campaign {campaign_id} not found")
    return row


async def load_campaign(campaign_id: int, actor: Actor) -> dict[str, Any]:
    """The whole campaign if ``actor`` may see its plan (no redaction: callers decide)."""
    row = await ProbeCampaign.select().where(ProbeCampaign.id == campaign_id).first().run()
    if row is None:
        raise NotFound(f"campaign {campaign_id} not found")
    # Who may see the plan may see its campaigns (covert ones stay hidden from the operator
    # until published; inspectors see the plans they are assigned to).
    try:
        await plan_access.get_plan(row["plan"], actor)
    except NotFound as exc:
        raise NotFound(f"campaign {campaign_id} not found") from exc
    row = _decode(row, "spec")
    row["targets"] = (
        await CampaignTarget.select()
        .where(CampaignTarget.campaign == campaign_id)
        .order_by(CampaignTarget.id)
        .run()
    )
    return row


async def list_campaigns(actor: Actor, plan_id: int | None = None) -> list[dict[str, Any]]:
    query = ProbeCampaign.select().order_by(ProbeCampaign.id)
    if plan_id is not None:
        query = query.where(ProbeCampaign.plan == plan_id)
    visible = plan_access.visible_plans(actor)  # a sub-select: no id list in Python
    if visible is not None:
        query = query.where(ProbeCampaign.plan.is_in(visible))
    out = [_decode(r, "spec") for r in await query.run()]
    if actor.is_operator:
        return [confidentiality.operator_view_of_campaign(r) for r in out]
    return out


def plan_bounds(plan: dict[str, Any]) -> Bounds:
    """The plan's window, which a campaign's runs must stay inside (seed 004 范文4 Art. 6)."""
    return Bounds(plan["window_start"], plan["window_end"])


def _spec_dict(data: CampaignIn) -> dict[str, Any]:
    settings, jobs = get_settings(), get_job_settings()
    sched = data.schedule.model_dump(mode="json")
    sched["timezone"] = sched["timezone"] or settings.timezone
    if sched["caller_ids"] is None:
        sched["caller_ids"] = list(settings.twilio_caller_ids)
    if sched["seed"] is None:
        # Unpredictable for the operator, stored so the plan can be re-derived in an audit.
        sched["seed"] = secrets.randbits(62)
    sched["published_numbers"] = jobs.published
    return sched


def _script_for(data: CampaignIn) -> str | None:
    """The customer script of a chat campaign, checked now rather than at the first run."""
    from audit.domain.probing.chat import DEFAULT_SCRIPT, resolve_script

    if data.probe_kind != "chat_script":
        if data.script_id is not None:
            raise DomainError("script_id is only for chat_script campaigns", field="script_id")
        return None
    resolve_script(None, data.script_id)  # DomainError naming script_id when unknown
    return data.script_id or DEFAULT_SCRIPT


async def create_campaign(data: CampaignIn, actor: Actor) -> dict[str, Any]:
    if actor.is_operator:
        raise NotFound(f"plan {data.plan_id} not found", field="plan_id")
    try:
        plan = await plan_access.get_plan(data.plan_id, actor)
    except NotFound as exc:
        raise NotFound(f"plan {data.plan_id} not found", field="plan_id") from exc
    spec = _spec_dict(data)
    try:
        covert = plan["method"] == "covert"
        checked = ScheduleSpec.model_validate({**spec, "covert": covert})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise DomainError(f"{err['msg']}", field=f"schedule.{loc}" if loc else "schedule") from exc
    try:
        check_within(checked, plan_bounds(plan))
    except PlanningError as exc:
        raise DomainError(exc.message, field=f"schedule.{exc.field}") from exc
    script_id = _script_for(data)
    if data.probe_kind == "voice_silent_call":
        await check_listen_time(data.listen_s, plan_id=data.plan_id)
    targets: list[tuple[int, str, str | None]] = []
    seen: set[int] = set()
    for i, t in enumerate(data.targets):
        venue = await Venue.select().where(Venue._meta.primary_key == t.venue_id).first().run()
        if venue is None:
            raise DomainError(f"venue {t.venue_id} not found", field=f"targets[{i}].venue_id")
        if venue["operator"] != plan["operator_id"]:
            raise DomainError(
                f"venue {t.venue_id} belongs to another operator than plan {data.plan_id}",
                field=f"targets[{i}].venue_id",
            )
        if t.venue_id not in plan["sample"]:
            raise DomainError(
                f"venue {t.venue_id} is not one of plan {data.plan_id}'s venues "
                f"({len(plan['sample'])} in its sample): a campaign probes only what its "
                "plan covers",
                field=f"targets[{i}].venue_id",
            )
        if t.venue_id in seen:
            raise DomainError(f"venue {t.venue_id} is listed twice", field=f"targets[{i}]")
        seen.add(t.venue_id)
        phones = venue["phones"]
        phones = json.loads(phones) if isinstance(phones, str) else phones
        number = t.number or (phones[0] if phones else None)
        if data.probe_kind == "chat_script" and venue["kind"] not in CHAT_VENUE_KINDS:
            raise DomainError(
                f"venue {t.venue_id} is a {venue['kind']}, not a chat venue "
                f"({', '.join(CHAT_VENUE_KINDS)})",
                field=f"targets[{i}].venue_id",
            )
        if data.probe_kind != "chat_script" and not number:
            raise DomainError(
                f"venue {t.venue_id} has no E.164 phone to call or text",
                field=f"targets[{i}].number",
            )
        targets.append((t.venue_id, number or "", venue["company_name"]))
    async with write_transaction():
        campaign = ProbeCampaign(
            plan=data.plan_id,
            operator=plan["operator_id"],
            name=data.name,
            probe_kind=data.probe_kind,
            script_id=script_id,
            status="draft",
            spec=spec,
            account=data.account,
            listen_s=data.listen_s,
            max_attempts=data.max_attempts,
            retry_delay_s=data.retry_delay_s,
            service_level_s=data.service_level_s,
            created_by=actor.id,
        )
        await campaign.save().run()
        for venue_id, number, company in targets:
            await (
                CampaignTarget(
                    campaign=campaign.id, venue=venue_id, number=number, company_name=company
                )
                .save()
                .run()
            )
        after = {"name": data.name, "plan": data.plan_id, "targets": len(targets)}
        await record(actor, "campaign.create", "campaign", campaign.id, None, after)
    return await get_campaign(campaign.id, actor)


async def _plan_rows(campaign: dict[str, Any], plan: dict[str, Any]) -> list[CampaignRun]:
    spec_data = {**campaign["spec"], "covert": plan["method"] == "covert"}
    spec = ScheduleSpec.model_validate(spec_data)
    targets = campaign["targets"]
    by_key = {str(t["id"]): t for t in targets}
    try:
        phone = campaign["probe_kind"] != "chat_script"
        planned = plan_runs(
            spec,
            [PlanTarget(str(t["id"]), target_key(campaign, t), phone) for t in targets],
            plan_bounds(plan),
        )
    except PlanningError as exc:
        field = f"schedule.{exc.field}" if exc.field != "targets" else "targets"
        raise DomainError(exc.message, field=field) from exc
    return [
        CampaignRun(
            campaign=campaign["id"],
            target=by_key[p.target]["id"],
            sequence=p.sequence,
            scheduled_at=p.scheduled_at,
            caller_id=p.caller_id,
            status="planned",
        )
        for p in planned
    ]


async def transition(campaign_id: int, action: str, actor: Actor) -> dict[str, Any]:
    if action not in TRANSITIONS:
        raise DomainError(f"unknown action {action!r}", field="action")
    campaign = await get_campaign(campaign_id, actor)
    allowed, new_status = TRANSITIONS[action]
    old = campaign["status"]
    if old not in allowed:
        raise InvalidTransition(
            f"cannot {action} a campaign that is {old} (allowed from: {', '.join(allowed)})",
            field="action",
        )
    at = now()
    rows: list[CampaignRun] = []
    if action == "schedule":
        plan = await plan_access.load_plan(campaign["plan"])
        rows = await _plan_rows(campaign, plan)
    if action == "resume" and campaign["started_at"] is None:
        new_status = "scheduled"  # paused before it started: back to waiting
    values: dict[Any, Any] = {ProbeCampaign.status: new_status}
    if action == "schedule":
        values[ProbeCampaign.scheduled_at] = at
    if new_status == "running" and campaign["started_at"] is None:
        values[ProbeCampaign.started_at] = at
    if action == "pause":
        values[ProbeCampaign.paused_at] = at
    if action == "cancel":
        values[ProbeCampaign.finished_at] = at
    async with write_transaction():
        changed = (
            await ProbeCampaign.update(values)
            .where((ProbeCampaign.id == campaign_id) & (ProbeCampaign.status == old))
            .returning(ProbeCampaign.id)
            .run()
        )
        if not changed:
            raise InvalidTransition(f"campaign {campaign_id} changed meanwhile; retry", "action")
        if rows:
            await CampaignRun.insert(*rows).run()
        if action == "pause":
            # Not yet claimed: back to planned, dispatched again after resume.
            await (
                CampaignRun.update({CampaignRun.status: "planned"})
                .where((CampaignRun.campaign == campaign_id) & (CampaignRun.status == "queued"))
                .run()
            )
        if action == "cancel":
            await (
                CampaignRun.update({CampaignRun.status: "canceled", CampaignRun.finished_at: at})
                .where(
                    (CampaignRun.campaign == campaign_id)
                    & CampaignRun.status.is_in(["planned", "queued"])
                )
                .run()
            )
        after = {"status": new_status, "runs_planned": len(rows) if rows else None}
        await record(actor, f"campaign.{action}", "campaign", campaign_id, {"status": old}, after)
    return await get_campaign(campaign_id, actor)


async def progress(campaign_id: int, actor: Actor) -> dict[str, Any]:
    # counts of planned and remaining runs tell when calls are still to come: results only
    campaign = await campaign_results(campaign_id, actor)
    rows = await _run_counts([campaign_id])
    return _progress(campaign_id, campaign["status"], rows.get(campaign_id, []))


async def _run_counts(campaign_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """(status, outcome, n) of the campaigns' runs, grouped in the database."""
    from piccolo.query.functions.aggregate import Count

    if not campaign_ids:
        return {}
    rows = (
        await CampaignRun.select(
            CampaignRun.campaign, CampaignRun.status, CampaignRun.outcome, Count(alias="n")
        )
        .where(CampaignRun.campaign.is_in(campaign_ids))
        .group_by(CampaignRun.campaign, CampaignRun.status, CampaignRun.outcome)
        .run()
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["campaign"], []).append(r)
    return out


def _progress(campaign_id: int, status: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = dict.fromkeys(("planned", "queued", "running", "done", "failed", "canceled"), 0)
    answered = attempts = 0
    for r in rows:
        counts[r["status"]] += r["n"]
        if r["status"] == "done" and r["outcome"] in ("answered", "busy", "no_answer"):
            attempts += r["n"]
            answered += r["n"] if r["outcome"] == "answered" else 0
    return {
        "campaign_id": campaign_id,
        "status": status,
        "total": sum(counts.values()),
        **counts,
        "remaining": counts["planned"] + counts["queued"] + counts["running"],
        "answered": answered,
        "attempts": attempts,
        "answer_rate": answered / attempts if attempts else None,
    }


async def campaign_page(
    actor: Actor, plan_id: int | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """One page of the campaigns a staff member may see, newest first, each with its
    :func:`progress` (one grouped query for the page, visibility as a sub-select). Staff
    only: operator users see results only once published (:func:`campaign_results`)."""
    if actor.is_operator:
        raise Forbidden("the campaign list is for staff")
    query = ProbeCampaign.select(
        ProbeCampaign.id,
        ProbeCampaign.name,
        ProbeCampaign.plan,
        ProbeCampaign.probe_kind,
        ProbeCampaign.status,
    )
    if plan_id is not None:
        query = query.where(ProbeCampaign.plan == plan_id)
    visible = plan_access.visible_plans(actor)
    if visible is not None:
        query = query.where(ProbeCampaign.plan.is_in(visible))
    rows = await query.order_by(ProbeCampaign.id, ascending=False).limit(limit).offset(offset)
    await add_progress(rows)
    return rows


async def add_progress(rows: list[dict[str, Any]]) -> None:
    """Set ``row["progress"]`` (as :func:`progress`) on each campaign row (``id``,
    ``status``) in one grouped query. For staff lists whose query already applied the
    visibility (:func:`campaign_page`, the dashboard)."""
    counts = await _run_counts([r["id"] for r in rows])
    for r in rows:
        r["progress"] = _progress(r["id"], r["status"], counts.get(r["id"], []))


async def list_runs(campaign_id: int, actor: Actor, limit: int = 10_000) -> list[dict[str, Any]]:
    await load_campaign(campaign_id, actor)
    rows = (
        await CampaignRun.select(
            CampaignRun.id,
            CampaignRun.target,
            CampaignRun.sequence,
            CampaignRun.scheduled_at,
            CampaignRun.caller_id,
            CampaignRun.status,
            CampaignRun.attempts,
            CampaignRun.probe_run_id,
            CampaignRun.outcome,
            CampaignRun.answer_seconds,
            CampaignRun.silent_call_verdict,
            CampaignRun.greeting_verdict,
            CampaignRun.finished_at,
            CampaignRun.error,
            CampaignRun.error_code,
        )
        .where(CampaignRun.campaign == campaign_id)
        .order_by(CampaignRun.scheduled_at)
        .limit(limit)
        .run()
    )
    return list(rows)
