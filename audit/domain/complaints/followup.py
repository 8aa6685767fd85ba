"""What a new trigger sets in motion (seed 004 Art. 10: order a self-inspection or spot-check).

For supervisor approval, each new trigger gets
* a draft **self-inspection order** — through the notices domain's hook
  ``audit.domain.notices.services.create_self_inspection_draft(trigger: dict, actor) -> dict``
  (with an ``"id"``), when that domain provides it; otherwise the trigger notes that the order
  awaits it and ``order_ref`` stays empty;
* a draft **targeted audit plan** through ``audit.domain.plans.services.create_plan``: method
  and sampling from ``checklist_map.yaml`` (covert, targeted), checklists mapped from the issue
  (latest pinned versions), venues of the operator in the trigger's region that those
  checklists apply to.

Durability: a trigger is committed *pending* (no order, no plan, empty note) — that state is
the job. Each trigger's follow-up is one transaction: claim the pending trigger, draft the order
and the plan, store the refs and note. A crash anywhere rolls it back to pending, and the sweep
(:func:`sweep`: at start-up and every ``AUDIT_FOLLOWUP_SWEEP_INTERVAL_S``, ``audit complaints
followups``) completes every pending trigger; the claim makes concurrent sweeps draft each
trigger once. A domain refusal (no checklist, no venue) is noted on the trigger, never undoes it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import structlog
from dateutil.relativedelta import relativedelta

from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.complaints.rules import default_checklist_map
from audit.domain.complaints.store import writing
from audit.domain.complaints.tables import ComplaintTrigger
from audit.errors import DomainError

log = structlog.get_logger("audit.complaints")

ORDER_HOOK = ("audit.domain.notices.services", "create_self_inspection_draft")
WITHDRAW_ORDER_HOOK = ("audit.domain.notices.services", "withdraw_draft")
WITHDRAW_PLAN_HOOK = ("audit.domain.plans.services", "withdraw_draft")


def _hook(module: str, name: str) -> Callable[..., Awaitable[dict[str, Any]]] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


async def _trigger(trigger_id: int) -> dict[str, Any]:
    from audit.context import SYSTEM
    from audit.domain.complaints.services import get_trigger

    return await get_trigger(trigger_id, SYSTEM)


async def draft_plan(trigger: dict[str, Any], actor: Actor) -> tuple[str | None, str]:
    """Create the draft targeted plan; returns (plan ref or None, note)."""
    from audit.domain.operators.tables import Venue
    from audit.domain.plans.schemas import PlanIn
    from audit.domain.plans.services import create_plan
    from audit.domain.plans.tables import ChecklistVersion

    cmap = default_checklist_map()
    keys = cmap.checklists_for(trigger["issue"]) if trigger["issue_mapped"] else cmap.unmapped
    versions: list[dict[str, Any]] = []
    for key in keys:
        row = (
            await ChecklistVersion.select(ChecklistVersion.id, ChecklistVersion.applies_to)
            .where(ChecklistVersion.checklist_key == key)
            .order_by(ChecklistVersion.version, ascending=False)
            .first()
        )
        if row:
            applies = row["applies_to"]
            row["applies_to"] = json.loads(applies) if isinstance(applies, str) else applies
            versions.append(row)
    if not versions:
        return None, f"plan not drafted: no pinned checklist among {keys}"
    kinds = {k for v in versions for k in v["applies_to"]}
    venues = await Venue.select(Venue._meta.primary_key, Venue.kind).where(
        (Venue.operator == trigger["operator"])
        & (Venue.active == True)  # noqa: E712
        & (Venue.region_code == trigger["region_key"])
    )
    venue_ids = [v["id"] for v in venues if v["kind"] in kinds]
    if not venue_ids:
        return None, (
            f"plan not drafted: operator has no active venue in region {trigger['region_given']}"
            f" covered by checklists {keys}"
        )
    used = [v["id"] for v in versions if set(v["applies_to"]) & {x["kind"] for x in venues}]
    start = dt.datetime.now(dt.UTC)
    plan = await create_plan(
        PlanIn(
            name=f"定向抽查 {trigger['region_given']} {trigger['issue']} (trigger {trigger['id']})"[
                :200
            ],
            description=(
                f"Complaint trigger {trigger['id']} fired on {trigger['fired_on']}: "
                f"{trigger['count_at_firing']} complaints (seed 004 Art. 10)."
            ),
            operator_id=trigger["operator"],
            method=cmap.method,  # type: ignore[arg-type]
            sampling=cmap.sampling,  # type: ignore[arg-type]
            venue_ids=venue_ids,
            checklist_version_ids=used,
            window_start=start,
            window_end=start + relativedelta(months=1),
        ),
        actor,
    )
    return f"audit_plan:{plan['id']}", "draft plan created"


async def create_for(trigger_ids: Sequence[int], actor: Actor) -> int:
    """Draft the order and the plan for each pending trigger (see module doc); returns how
    many were drafted here (a trigger already done, or being done elsewhere, is skipped)."""
    order_hook = _hook(*ORDER_HOOK)
    done = 0
    for tid in trigger_ids:
        done += await _follow_up(tid, actor, order_hook)
    return done


_CLAIM = (
    "UPDATE complaint_trigger SET followup_note = $1 WHERE id = $2 AND status = 'new'"
    " AND order_ref IS NULL AND plan_ref IS NULL AND followup_note = '' RETURNING id"
)


async def _follow_up(
    tid: int, actor: Actor, order_hook: Callable[..., Awaitable[dict[str, Any]]] | None
) -> bool:
    async with writing() as store:
        # The claim is the first write: a concurrent sweep waits on this row, then finds it
        # no longer pending. Never visible: the same transaction overwrites the note below.
        if not await store.fetch(_CLAIM, "drafting", tid):
            return False
        trigger = await _trigger(tid)
        notes: list[str] = []
        order_ref = plan_ref = None
        if order_hook is None:
            notes.append("self-inspection order awaits the notices domain hook")
        else:
            try:
                order = await order_hook(trigger, actor)
                order_ref = f"notice:{order['id']}"
            except DomainError as exc:
                notes.append(f"order not drafted: {exc.message}")
        try:
            plan_ref, note = await draft_plan(trigger, actor)
            notes.append(note)
        except DomainError as exc:
            notes.append(f"plan not drafted: {exc.message}")
        after = {"order_ref": order_ref, "plan_ref": plan_ref, "followup_note": "; ".join(notes)}
        await (
            ComplaintTrigger.update(
                {
                    ComplaintTrigger.order_ref: order_ref,
                    ComplaintTrigger.plan_ref: plan_ref,
                    ComplaintTrigger.followup_note: after["followup_note"] or "done",
                }
            )
            .where(ComplaintTrigger._meta.primary_key == tid)
            .run()
        )
        await record(actor, "complaint_trigger.followup", "complaint_trigger", tid, None, after)
    log.info("trigger follow-up", trigger=tid, order=order_ref, plan=plan_ref, notes=notes)
    return True


async def pending(limit: int = 1000) -> list[int]:
    """New triggers whose follow-ups never ran (a crash after the import committed, or an
    import with --no-followups), oldest first."""
    rows = (
        await ComplaintTrigger.select(ComplaintTrigger._meta.primary_key)
        .where(
            (ComplaintTrigger.status == "new")
            & ComplaintTrigger.order_ref.is_null()
            & ComplaintTrigger.plan_ref.is_null()
            & (ComplaintTrigger.followup_note == "")
        )
        .order_by(ComplaintTrigger._meta.primary_key)
        .limit(limit)
    )
    return [r["id"] for r in rows]


async def sweep(actor: Actor | None = None, batch: int = 500, max_batches: int = 1000) -> int:
    """Complete the follow-ups of every pending trigger; returns how many were drafted."""
    from audit.context import SYSTEM

    total = 0
    for _ in range(max_batches):
        ids = await pending(batch)
        if not ids:
            break
        done = await create_for(ids, actor or SYSTEM)
        total += done
        if done == 0:  # all claimed elsewhere meanwhile: that sweep finishes them
            break
    if total:
        log.info("trigger follow-ups completed by the sweep", drafted=total)
    return total


def _ref_id(ref: str | None, kind: str) -> int | None:
    if not ref or not ref.startswith(kind + ":"):
        return None
    rid = ref.partition(":")[2]
    return int(rid) if rid.isdigit() else None


async def withdraw_drafts(store: Any, trigger: dict[str, Any], reason: str, actor: Actor) -> dict:
    """A trigger the data no longer produce (superseded by a merged one, or its count fell
    below the threshold after a duplicate review): withdraw its draft self-inspection order and
    its drafted plan, inside the caller's transaction. A draft that moved on (an issued order,
    an approved plan) was the authority's decision and stays; the note says so. Recorded on the
    trigger (``followup_note``) and in the audit log (``complaint_trigger.withdraw_drafts``)."""
    from audit.errors import InvalidTransition, NotFound

    done: list[str] = []
    kept: list[str] = []
    for ref, kind, hook in (
        (trigger.get("order_ref"), "notice", WITHDRAW_ORDER_HOOK),
        (trigger.get("plan_ref"), "audit_plan", WITHDRAW_PLAN_HOOK),
    ):
        rid = _ref_id(ref, kind)
        if rid is None:
            continue
        fn = _hook(*hook)
        if fn is None:
            kept.append(f"{ref}: its domain cannot withdraw drafts")
            continue
        try:
            await fn(rid, f"complaint trigger {trigger['id']}: {reason}", actor)
            done.append(str(ref))
        except (InvalidTransition, NotFound) as exc:
            kept.append(f"{ref} kept: {exc.message}")
    note = "; ".join(([f"drafts withdrawn ({reason}): {', '.join(done)}"] if done else []) + kept)
    old_note = trigger.get("followup_note") or ""
    await store.execute(
        "UPDATE complaint_trigger SET followup_note = $1 WHERE id = $2",
        (old_note + "; " + note if old_note else note)[:4000],
        trigger["id"],
    )
    after = {"withdrawn": done, "kept": kept, "reason": reason}
    await record(
        actor,
        "complaint_trigger.withdraw_drafts",
        "complaint_trigger",
        trigger["id"],
        {"order_ref": trigger.get("order_ref"), "plan_ref": trigger.get("plan_ref")},
        after,
    )
    log.info("trigger drafts withdrawn", trigger=trigger["id"], withdrawn=done, kept=kept)
    return after
