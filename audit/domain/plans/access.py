"""Reading plans, and who may see which (seed 004 Art. 12: covert plans stay confidential).

- admin, supervisor, analyst: every plan (analysts read only; guards stop their writes);
- inspector: the plans they are assigned to;
- operator user: their own operator's open plans once approved, and covert plans only once
  published. Anything else answers 404, exactly like a missing plan.
"""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.plans.tables import (
    AuditPlan,
    PlanChecklist,
    PlanInspector,
    PlanVenue,
)
from audit.errors import NotFound

READ_ALL_ROLES = ("admin", "supervisor", "analyst")
_PLAN_FIELDS = (
    AuditPlan.id,
    AuditPlan.name,
    AuditPlan.description,
    AuditPlan.operator.as_alias("operator_id"),
    AuditPlan.method,
    AuditPlan.sampling,
    AuditPlan.sample_size,
    AuditPlan.sample_seed,
    AuditPlan.on_site,
    AuditPlan.window_start,
    AuditPlan.window_end,
    AuditPlan.status,
    AuditPlan.created_at,
    AuditPlan.approved_by.as_alias("approved_by_id"),
    AuditPlan.approved_at,
    AuditPlan.activated_at,
    AuditPlan.completed_at,
    AuditPlan.published_at,
)


def operator_may_see(plan: dict[str, Any]) -> bool:
    if plan["status"] == "published":
        return True
    return plan["method"] == "open" and plan["status"] != "draft"


def may_see(actor: Actor, plan: dict[str, Any], inspector_ids: list[int]) -> bool:
    if actor.role in READ_ALL_ROLES or (actor.id is None and actor.role == "system"):
        return True
    if actor.role == "inspector":
        return actor.id in inspector_ids
    if actor.is_operator:
        return plan["operator_id"] == actor.operator_id and operator_may_see(plan)
    return False


async def inspector_ids(plan_id: int) -> list[int]:
    rows = await PlanInspector.select(PlanInspector.inspector).where(PlanInspector.plan == plan_id)
    return sorted(r["inspector"] for r in rows)


async def load_plan(plan_id: int) -> dict[str, Any]:
    """The full plan, without any access check."""
    plan = await AuditPlan.select(*_PLAN_FIELDS).where(AuditPlan.id == plan_id).first()
    if plan is None:
        raise NotFound(f"plan {plan_id} not found")
    venues = (
        await PlanVenue.select(
            PlanVenue.venue.as_alias("venue_id"),
            PlanVenue.venue.kind.as_alias("kind"),
            PlanVenue.venue.name.as_alias("name"),
            PlanVenue.venue.region_code.as_alias("region_code"),
            PlanVenue.in_sample,
            PlanVenue.position,
        )
        .where(PlanVenue.plan == plan_id)
        .order_by(PlanVenue.id)
    )
    plan["venues"] = venues
    plan["sample"] = [
        v["venue_id"] for v in sorted(venues, key=lambda v: v["position"]) if v["in_sample"]
    ]
    plan["checklist_versions"] = (
        await PlanChecklist.select(
            PlanChecklist.checklist_version.as_alias("id"),
            PlanChecklist.checklist_version.checklist_key.as_alias("checklist_key"),
            PlanChecklist.checklist_version.version.as_alias("version"),
            PlanChecklist.checklist_version.content_hash.as_alias("content_hash"),
        )
        .where(PlanChecklist.plan == plan_id)
        .order_by(PlanChecklist.id)
    )
    plan["inspector_ids"] = await inspector_ids(plan_id)
    return plan


async def get_plan(plan_id: int, actor: Actor) -> dict[str, Any]:
    plan = await load_plan(plan_id)
    if not may_see(actor, plan, plan["inspector_ids"]):
        raise NotFound(f"plan {plan_id} not found")
    return plan


async def visible_plan_ids(actor: Actor) -> list[int] | None:
    """Ids of the plans ``actor`` may see; None means all."""
    if actor.role in READ_ALL_ROLES:
        return None
    if actor.role == "inspector":
        rows = await PlanInspector.select(PlanInspector.plan).where(
            PlanInspector.inspector == actor.id
        )
        return sorted({r["plan"] for r in rows})
    if actor.is_operator:
        rows = await AuditPlan.select(AuditPlan.id, AuditPlan.method, AuditPlan.status).where(
            AuditPlan.operator == actor.operator_id
        )
        return [r["id"] for r in rows if operator_may_see(r)]
    return []


async def list_plans(
    actor: Actor, status: str | None = None, operator_id: int | None = None
) -> list[dict[str, Any]]:
    query = AuditPlan.select(AuditPlan.id).order_by(AuditPlan.id)
    if status:
        query = query.where(AuditPlan.status == status)
    if operator_id:
        query = query.where(AuditPlan.operator == operator_id)
    ids = [r["id"] for r in await query]
    visible = await visible_plan_ids(actor)
    if visible is not None:
        allowed = set(visible)
        ids = [i for i in ids if i in allowed]
    return [await load_plan(i) for i in ids]


async def is_assigned(plan_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return bool(
        await PlanInspector.exists().where(
            (PlanInspector.plan == plan_id) & (PlanInspector.inspector == user_id)
        )
    )
