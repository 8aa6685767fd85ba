"""Reading plans, and who may see which (seed 004 Art. 12: covert plans stay confidential).

- admin, supervisor, analyst: every plan (analysts read only; guards stop their writes);
- inspector: the plans they are assigned to;
- operator user: their own operator's open plans once approved, and covert plans only once
  published. Anything else answers 404, exactly like a missing plan.
"""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.plans import confidentiality
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


# the rule lives in confidentiality.py (one place for every path an operator can read)
operator_may_see = confidentiality.operator_may_see_plan


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


async def load_plans(plan_ids: list[int]) -> list[dict[str, Any]]:
    """Full plans, in the order of ``plan_ids`` (missing ids are skipped), in four queries."""
    if not plan_ids:
        return []
    rows = await AuditPlan.select(*_PLAN_FIELDS).where(AuditPlan.id.is_in(plan_ids))
    venues = (
        await PlanVenue.select(
            PlanVenue.plan,
            PlanVenue.venue.as_alias("venue_id"),
            PlanVenue.venue.kind.as_alias("kind"),
            PlanVenue.venue.name.as_alias("name"),
            PlanVenue.venue.region_code.as_alias("region_code"),
            PlanVenue.in_sample,
            PlanVenue.position,
        )
        .where(PlanVenue.plan.is_in(plan_ids))
        .order_by(PlanVenue.id)
    )
    pinned = (
        await PlanChecklist.select(
            PlanChecklist.plan,
            PlanChecklist.checklist_version.as_alias("id"),
            PlanChecklist.checklist_version.checklist_key.as_alias("checklist_key"),
            PlanChecklist.checklist_version.version.as_alias("version"),
            PlanChecklist.checklist_version.content_hash.as_alias("content_hash"),
        )
        .where(PlanChecklist.plan.is_in(plan_ids))
        .order_by(PlanChecklist.id)
    )
    inspectors = await PlanInspector.select(PlanInspector.plan, PlanInspector.inspector).where(
        PlanInspector.plan.is_in(plan_ids)
    )
    by_id = {r["id"]: {**r, "venues": [], "checklist_versions": [], "inspector_ids": []}
             for r in rows}  # fmt: skip
    for v in venues:
        by_id[v.pop("plan")]["venues"].append(v)
    for c in pinned:
        by_id[c.pop("plan")]["checklist_versions"].append(c)
    for i in inspectors:
        by_id[i["plan"]]["inspector_ids"].append(i["inspector"])
    out = []
    for plan_id in plan_ids:
        plan = by_id.get(plan_id)
        if plan is None:
            continue
        plan["inspector_ids"].sort()
        plan["sample"] = [
            v["venue_id"]
            for v in sorted(plan["venues"], key=lambda v: v["position"])
            if v["in_sample"]
        ]
        out.append(plan)
    return out


async def load_plan(plan_id: int) -> dict[str, Any]:
    """The full plan, without any access check."""
    found = await load_plans([plan_id])
    if not found:
        raise NotFound(f"plan {plan_id} not found")
    return found[0]


async def get_plan(plan_id: int, actor: Actor) -> dict[str, Any]:
    plan = await load_plan(plan_id)
    if not may_see(actor, plan, plan["inspector_ids"]):
        raise NotFound(f"plan {plan_id} not found")
    return confidentiality.operator_view_of_plan(plan) if actor.is_operator else plan


def visible_plans(actor: Actor, *, results_only: bool = False) -> Any | None:
    """The plans ``actor`` may see as a one-column sub-select of ids (None: all), for
    ``column.is_in(...)``: the database joins it, no id list travels through Python.

    ``results_only``: for operator users, only the plans whose results are released
    (published, rule 2) — what their inspections and probe runs may show.
    """
    if actor.role in READ_ALL_ROLES or (actor.id is None and actor.role == "system"):
        return None
    if actor.role == "inspector" and actor.id is not None:
        return PlanInspector.select(PlanInspector.plan).where(PlanInspector.inspector == actor.id)
    if actor.is_operator:
        # confidentiality.operator_may_see_plan as SQL: published, or open and past draft
        seen: Any
        if results_only:
            seen = AuditPlan.status == "published"
        else:
            seen = (AuditPlan.status == "published") | (
                (AuditPlan.method == "open") & (AuditPlan.status != "draft")
            )
        return AuditPlan.select(AuditPlan.id).where(
            (AuditPlan.operator == actor.operator_id) & seen
        )
    return AuditPlan.select(AuditPlan.id).where(AuditPlan.id == -1)  # nothing


async def visible_plan_ids(actor: Actor) -> list[int] | None:
    """Ids of the plans ``actor`` may see; None means all. Prefer :func:`visible_plans` in
    queries: this loads every id (thousands for an inspector at scale)."""
    query = visible_plans(actor)
    if query is None:
        return None
    return sorted({next(iter(r.values())) for r in await query})


def _listing(query: Any, visible: Any | None, status: str | None, operator_id: int | None) -> Any:
    if status:
        query = query.where(AuditPlan.status == status)
    if operator_id:
        query = query.where(AuditPlan.operator == operator_id)
    if visible is not None:
        query = query.where(AuditPlan.id.is_in(visible))
    return query


async def list_plans(
    actor: Actor,
    status: str | None = None,
    operator_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The plans ``actor`` may see, oldest first; ``limit`` None = all."""
    visible = visible_plans(actor)
    query = _listing(AuditPlan.select(AuditPlan.id), visible, status, operator_id)
    query = query.order_by(AuditPlan.id)
    if limit is not None:  # SQLite takes an offset only with a limit
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.limit(2_147_483_647).offset(offset)
    plans = await load_plans([r["id"] for r in await query])
    if actor.is_operator:
        return [confidentiality.operator_view_of_plan(p) for p in plans]
    return plans


PLAN_SUMMARY = (
    AuditPlan.id,
    AuditPlan.name,
    AuditPlan.operator.as_alias("operator_id"),
    AuditPlan.operator.name.as_alias("operator_name"),
    AuditPlan.method,
    AuditPlan.sampling,
    AuditPlan.on_site,
    AuditPlan.status,
    AuditPlan.window_start,
    AuditPlan.window_end,
)


async def plan_summaries(
    actor: Actor,
    status: str | None = None,
    operator_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """One page of plans ``actor`` may see, newest first, without their scope; and the total."""
    visible = visible_plans(actor)
    query = _listing(AuditPlan.select(*PLAN_SUMMARY), visible, status, operator_id)
    rows = await query.order_by(AuditPlan.id, ascending=False).limit(limit).offset(offset)
    total = await _listing(AuditPlan.count(), visible, status, operator_id)
    return rows, int(total)


async def is_assigned(plan_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return bool(
        await PlanInspector.exists().where(
            (PlanInspector.plan == plan_id) & (PlanInspector.inspector == user_id)
        )
    )
