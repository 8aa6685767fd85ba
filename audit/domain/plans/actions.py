"""Which lifecycle actions an actor may take on a plan now, and why not.

One rule for the plan page (which buttons are live, what the disabled ones say) and the API
(``services.transition`` raises the same refusal). Lifecycle: draft → approved → active →
completed → published (seed 004 Art. 6: the authority fixes the plan; Art. 7: on-site checks
need two inspectors; a plan completes once its inspections are submitted).
"""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.accounts import four_eyes
from audit.domain.accounts import roles as matrix
from audit.domain.plans.tables import AuditPlan
from audit.errors import DomainError, Refusal

# action -> (from status, to status, timestamp column)
TRANSITIONS: dict[str, tuple[str, str, str]] = {
    "approve": ("draft", "approved", "approved_at"),
    "activate": ("approved", "active", "activated_at"),
    "complete": ("active", "completed", "completed_at"),
    "publish": ("completed", "published", "published_at"),
}
ACTIONS = ("edit", *TRANSITIONS)
# the role-matrix permission each action needs (audit/domain/accounts/roles.py); the system
# actor (CLI, jobs) may take any. Approval: admin or supervisor (Art. 6: the authority fixes
# the plan), never the plan's creator or editor (four eyes).
PERMISSIONS: dict[str, str] = {
    "edit": "plans.manage",
    "approve": "plans.approve",
    "activate": "plans.manage",
    "complete": "plans.manage",
    "publish": "plans.manage",
}
_ROLE_WORDS = {
    "supervisor": "a supervisor",
    "admin": "an admin",
}


def _who(roles: tuple[str, ...]) -> str:
    return " or ".join(_ROLE_WORDS.get(r, r) for r in roles)


def check_inspector_count(on_site: bool, count: int, for_approval: bool) -> None:
    """Art. 7: on-site checks are made by two or more inspectors."""
    if on_site and (count == 1 or (for_approval and count < 2)):
        raise DomainError(
            f"an on-site plan needs at least two inspectors (seed 004 Art. 7); it has {count}",
            field="inspector_ids",
        )
    if for_approval and count == 0:
        raise DomainError("assign at least one inspector before approval", field="inspector_ids")


async def inspections_refusal(plan_id: int) -> Refusal | None:
    """Why the plan cannot be completed yet (its inspections), if it cannot."""
    # Imported here: inspections depend on plans, not the other way round at import time.
    from audit.domain.inspections.tables import Inspection

    statuses = {
        r["status"]
        for r in await Inspection.select(Inspection.status).where(Inspection.plan == plan_id)
    }
    if "open" in statuses:
        return Refusal(f"plan {plan_id} still has open inspections; submit them first")
    if "pending" in statuses:
        return Refusal(
            f"plan {plan_id} has inspections waiting for the second inspector's confirmation"
        )
    if "submitted" not in statuses:
        return Refusal(f"plan {plan_id} has no submitted inspection to complete")
    return None


async def refusal(plan: dict[str, Any], action: str, actor: Actor) -> Refusal | None:
    """None if ``actor`` may take ``action`` on ``plan`` now; else why not."""
    permission = PERMISSIONS[action]
    if not matrix.can(actor.role, permission):
        return Refusal(f"only {_who(matrix.roles_for(permission))} may {action} a plan", 403)
    if action == "edit":
        if plan["status"] != "draft":
            return Refusal(f"the plan is {plan['status']}; only drafts can be edited")
        return None
    source = TRANSITIONS[action][0]
    if plan["status"] != source:
        return Refusal(f"it is {plan['status']}, not {source}")
    if action == "approve":
        try:
            check_inspector_count(plan["on_site"], len(plan["inspector_ids"]), for_approval=True)
        except DomainError as exc:
            return Refusal(exc.message, 400, exc.field)
        why = await four_eyes.reason(actor, **await four_eyes_args(plan["id"]))
        if why is not None:
            return Refusal(why, 403, "four_eyes")
    if action == "complete":
        return await inspections_refusal(plan["id"])
    return None


async def four_eyes_args(plan_id: int) -> dict[str, Any]:
    """The plan's authors as the four-eyes rule reads them (creator + ``plan.update``)."""
    row = await AuditPlan.select(AuditPlan.created_by).where(AuditPlan.id == plan_id).first()
    return {
        "entity": "audit_plan",
        "entity_id": plan_id,
        "action": "approve",
        "created_by": row["created_by"] if row else None,
        "edits": "plan.update",
    }


async def plan_actions(plan: dict[str, Any], actor: Actor) -> dict[str, Refusal | None]:
    """Every action in lifecycle order → None (allowed) or its refusal."""
    return {action: await refusal(plan, action, actor) for action in ACTIONS}
