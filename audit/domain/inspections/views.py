"""What the inspection pages show: an inspector's worklist (today's first) and one inspection
as a form (items, stored answers, evidence, the running score, the submission actions).

Reads only; every rule comes from the services it calls (``access`` for who sees what,
``services.compute_score`` for the score, ``submission.submission_actions`` for the buttons).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query import WhereRaw

from audit.context import Actor
from audit.domain.accounts import roles
from audit.domain.inspections import access, services, submission
from audit.domain.inspections.tables import Inspection
from audit.domain.plans.access import load_plan
from audit.domain.plans.checklist_versions import pinned_checklist
from audit.domain.plans.tables import PlanInspector, PlanVenue
from audit.errors import DomainError
from audit.settings import get_settings

LIMIT = 50
_FIELDS = (
    Inspection.id,
    Inspection.plan.as_alias("plan_id"),
    Inspection.plan.name.as_alias("plan_name"),
    Inspection.plan.window_start.as_alias("window_start"),
    Inspection.plan.window_end.as_alias("window_end"),
    Inspection.venue.as_alias("venue_id"),
    Inspection.venue.name.as_alias("venue_name"),
    Inspection.status,
    Inspection.started_at,
    Inspection.submitted_by_name,
    Inspection.submitted_at,
    Inspection.confirmed_by_name,
    Inspection.score,
    Inspection.passed,
)


def today_bounds(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Today in the regulator's zone, as an interval of aware datetimes."""
    zone = get_settings().zone
    local = (now or dt.datetime.now(dt.UTC)).astimezone(zone)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def _is_today(row: dict[str, Any], start: dt.datetime, end: dt.datetime) -> bool:
    return bool(row["window_start"] < end and row["window_end"] >= start)


async def _scope(actor: Actor, query: Any) -> Any:
    """Inspectors: their assigned plans ("mine"); others: the plans they may read."""
    if actor.role == "inspector":
        assigned = PlanInspector.select(PlanInspector.plan).where(
            PlanInspector.inspector == actor.id
        )
        return query.where(Inspection.plan.is_in(assigned))
    readable = access.readable_plans(actor)
    if readable is not None:
        query = query.where(Inspection.plan.is_in(readable))
    return query


async def worklist(actor: Actor) -> dict[str, Any]:
    """Open and pending inspections (those of plans running today first), the latest
    submitted ones, and the sampled venues of active plans not inspected yet."""
    start, end = today_bounds()
    query = Inspection.select(*_FIELDS).where(Inspection.status.is_in(["open", "pending"]))
    current = (
        await (await _scope(actor, query))
        .order_by(Inspection.started_at, ascending=False)
        .limit(LIMIT)
    )
    for row in current:
        row["today"] = _is_today(row, start, end)
    current.sort(key=lambda r: not r["today"])  # stable: newest first within each group
    query = Inspection.select(*_FIELDS).where(Inspection.status == "submitted")
    done = (
        await (await _scope(actor, query))
        .order_by(Inspection.submitted_at, ascending=False)
        .limit(LIMIT)
    )
    return {"current": current, "done": done, "to_start": await to_start(actor, start, end)}


async def to_start(actor: Actor, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """(plan, venue) pairs of the active plans ``actor`` may record on whose sampled venue has
    no inspection yet; plans running today first. One query (the plans, their sample and
    "not inspected yet" joined in the database)."""
    if not roles.can(actor.role, "inspections.record"):
        return []
    query = PlanVenue.select(
        PlanVenue.plan.as_alias("plan_id"),
        PlanVenue.plan.name.as_alias("plan_name"),
        PlanVenue.plan.window_start.as_alias("window_start"),
        PlanVenue.plan.window_end.as_alias("window_end"),
        PlanVenue.venue.as_alias("venue_id"),
        PlanVenue.venue.name.as_alias("venue_name"),
        PlanVenue.venue.kind.as_alias("venue_kind"),
    ).where(
        (PlanVenue.plan.status == "active")
        & (PlanVenue.in_sample == True)  # noqa: E712
        & WhereRaw(
            "NOT EXISTS (SELECT 1 FROM inspection WHERE inspection.plan = plan_venue.plan"
            " AND inspection.venue = plan_venue.venue)"
        )
    )
    if actor.role == "inspector":
        query = query.where(
            PlanVenue.plan.is_in(
                PlanInspector.select(PlanInspector.plan).where(PlanInspector.inspector == actor.id)
            )
        )
    rows = await query.order_by(PlanVenue.plan.window_start, PlanVenue.position).limit(4 * LIMIT)
    out = [
        {
            **{k: r[k] for k in ("plan_id", "plan_name", "venue_id", "venue_name", "venue_kind")},
            "today": _is_today(r, start, end),
        }
        for r in rows
    ]
    out.sort(key=lambda r: not r["today"])
    return out[:LIMIT]


def may_start(plan: dict[str, Any], actor: Actor) -> bool:
    """Whether ``actor`` may open an inspection on ``plan`` now — the checks of
    ``services.open_inspection``: an active plan, and one of its inspectors (or a
    supervisor/admin, :func:`access.check_may_write`)."""
    if plan["status"] != "active":
        return False
    if actor.role in access.WRITE_ALL_ROLES:
        return True
    return actor.role == "inspector" and actor.id in plan["inspector_ids"]


async def plan_to_start(plan: dict[str, Any], actor: Actor) -> list[dict[str, Any]]:
    """The plan's sampled venues with no inspection yet, in sample order, that ``actor`` may
    start now (none when :func:`may_start` says no)."""
    if not may_start(plan, actor):
        return []
    started = {
        r["venue"]
        for r in await Inspection.select(Inspection.venue).where(Inspection.plan == plan["id"])
    }
    by_id = {v["venue_id"]: v for v in plan["venues"]}
    return [
        {
            "plan_id": plan["id"],
            "venue_id": venue_id,
            "venue_name": by_id[venue_id]["name"],
            "venue_kind": by_id[venue_id]["kind"],
        }
        for venue_id in plan["sample"]
        if venue_id not in started
    ]


async def may_record(inspection: dict[str, Any], actor: Actor) -> bool:
    try:
        await access.get_writable(inspection["id"], actor)
    except DomainError:
        return False
    return True


async def form(inspection_id: int, actor: Actor) -> dict[str, Any]:
    """One inspection as the phone form shows it."""
    inspection = await access.get_readable(inspection_id, actor)
    plan = await load_plan(inspection["plan_id"])
    checklist = await pinned_checklist(inspection["checklist_version_id"])
    answers = {a["item_id"]: a for a in await access.answers_of(inspection_id)}
    score = await services.compute_score(inspection)
    return {
        "inspection": inspection,
        "plan": plan,
        "checklist": checklist,
        "answers": answers,
        "score": services.score_json(score),
        "actions": submission.submission_actions(inspection, plan, actor, score),
        "writable": await may_record(inspection, actor),
    }
