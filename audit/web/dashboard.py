"""What each role's dashboard shows: a few bounded read-only queries over the domains' tables,
filtered by the domains' own visibility rules (``plans.access``, ``campaigns.services``…).
No rule is decided here; each list is capped so the page stays fast on a full database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.context import Actor
from audit.domain.accounts import roles
from audit.domain.accounts.services import actor_of
from audit.domain.campaigns import services as campaigns
from audit.domain.campaigns.tables import ProbeCampaign
from audit.domain.complaints import services as complaints
from audit.domain.inspections.tables import Inspection
from audit.domain.notices import services as notices
from audit.domain.operators import services as operators
from audit.domain.operators.tables import Operator, Venue
from audit.domain.plans.access import visible_plans
from audit.domain.plans.tables import AuditPlan, PlanInspector
from audit.settings import get_settings

LIMIT = 10
PLAN_FIELDS = (
    AuditPlan.id,
    AuditPlan.name,
    AuditPlan.method,
    AuditPlan.status,
    AuditPlan.on_site,
    AuditPlan.window_start,
    AuditPlan.window_end,
    AuditPlan.operator.name.as_alias("operator_name"),
)
INSPECTION_FIELDS = (
    Inspection.id,
    Inspection.plan.as_alias("plan_id"),
    Inspection.plan.name.as_alias("plan_name"),
    Inspection.venue.name.as_alias("venue_name"),
    Inspection.status,
    Inspection.started_at,
    Inspection.submitted_at,
    Inspection.score,
    Inspection.passed,
)


def _today_bounds() -> tuple[dt.datetime, dt.datetime]:
    """Today in the regulator's zone, as a UTC interval."""
    zone = get_settings().zone
    start = dt.datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


async def inspector_plans(actor: Actor) -> list[dict[str, Any]]:
    """The inspector's approved/active plans; those whose window includes today first."""
    day_start, day_end = _today_bounds()
    rows = (
        await AuditPlan.select(*PLAN_FIELDS)
        .where(AuditPlan.id.is_in(_assigned(actor)))
        .where(AuditPlan.status.is_in(["approved", "active"]))
        .where(AuditPlan.window_end >= day_start)
        .order_by(AuditPlan.window_start)
        .limit(50)
        .run()
    )
    for row in rows:
        row["today"] = row["window_start"] < day_end and row["window_end"] >= day_start
    rows.sort(key=lambda r: (not r["today"], r["window_start"]))
    return rows[:LIMIT]


def _assigned(actor: Actor) -> Any:
    """The plans an inspector is assigned to, as a subquery (no id list in Python)."""
    return PlanInspector.select(PlanInspector.plan).where(PlanInspector.inspector == actor.id)


async def inspections_for(actor: Actor, status: str | None, order: Any) -> list[dict[str, Any]]:
    """The latest inspections in ``status``: an inspector's own (their assigned plans' —
    "my inspections"), else those of the plans the actor may see."""
    query = Inspection.select(*INSPECTION_FIELDS)
    if status:
        query = query.where(Inspection.status == status)
    if actor.role == "inspector":
        query = query.where(Inspection.plan.is_in(_assigned(actor)))
    else:
        visible = visible_plans(actor)
        if visible is not None:
            query = query.where(Inspection.plan.is_in(visible))
    return await query.order_by(order, ascending=False).limit(LIMIT).run()


async def plans_with_status(status: str) -> list[dict[str, Any]]:
    return (
        await AuditPlan.select(*PLAN_FIELDS)
        .where(AuditPlan.status == status)
        .order_by(AuditPlan.created_at, ascending=False)
        .limit(LIMIT)
        .run()
    )


async def running_campaigns(actor: Actor) -> list[dict[str, Any]]:
    query = ProbeCampaign.select(
        ProbeCampaign.id,
        ProbeCampaign.name,
        ProbeCampaign.status,
        ProbeCampaign.plan.name.as_alias("plan_name"),
    ).where(ProbeCampaign.status.is_in(["scheduled", "running", "paused"]))
    visible = visible_plans(actor)
    if visible is not None:
        query = query.where(ProbeCampaign.plan.is_in(visible))
    rows = await query.order_by(ProbeCampaign.id, ascending=False).limit(LIMIT).run()
    await campaigns.add_progress(rows)  # one grouped query for the ten
    return rows


async def for_user(user: dict[str, Any]) -> dict[str, Any]:
    actor = actor_of(user)
    role = user["role"]
    context: dict[str, Any] = {"role": role}
    if role == "operator":
        ops = await operators.list_operators(actor)
        context["operators"] = ops
        context["venues"] = {o["id"]: await operators.list_venues(o["id"], actor) for o in ops}
        context["notices"] = await notices.list_notices(actor, limit=LIMIT)
        return context
    if role == "inspector":
        context["my_plans"] = await inspector_plans(actor)
        context["my_inspections"] = await inspections_for(actor, "open", Inspection.started_at)
    if roles.can(role, "plans.approve"):  # the approvers' queue
        context["plans_to_approve"] = await plans_with_status("draft")
        context["campaigns"] = await running_campaigns(actor)
        context["triggers"] = await complaints.list_triggers(actor, status="new", limit=LIMIT)
        context["notices_to_approve"] = await notices.list_notices(
            actor, status="draft", limit=LIMIT
        )
    if role in ("analyst", "supervisor", "admin"):
        context["results"] = await inspections_for(actor, "submitted", Inspection.submitted_at)
    context["counts"] = {
        "operators": await Operator.count().run(),
        "venues": await Venue.count().where(Venue.active == True).run(),  # noqa: E712
    }
    return context
