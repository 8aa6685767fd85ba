"""Audit plans (seed 004 Art. 5–7, 10, 12): scope, sampling, inspectors, lifecycle, visibility."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from audit.context import Actor
from audit.db import write_transaction
from audit.domain.accounts import four_eyes
from audit.domain.accounts.tables import User
from audit.domain.auditlog.services import record
from audit.domain.operators.tables import Operator, Venue
from audit.domain.plans import actions, sampling
from audit.domain.plans.access import get_plan, load_plan
from audit.domain.plans.actions import TRANSITIONS, check_inspector_count
from audit.domain.plans.schemas import PlanIn, PlanPatch
from audit.domain.plans.tables import (
    AuditPlan,
    ChecklistVersion,
    PlanChecklist,
    PlanInspector,
    PlanVenue,
)
from audit.errors import DomainError, InvalidTransition

ON_SITE_KINDS = frozenset({"business_hall", "agency_point"})  # entering premises (Art. 7)


@dataclass
class Scope:
    venues: list[dict[str, Any]]
    sample: list[int]
    seed: str | None
    size: int | None
    on_site: bool
    checklists: list[dict[str, Any]]
    inspector_ids: list[int]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _venues(
    operator_id: int, venue_ids: list[int], sampling_mode: str
) -> list[dict[str, Any]]:
    if not venue_ids:
        if sampling_mode == "targeted":
            raise DomainError("a targeted plan names its venues", field="venue_ids")
        rows = (
            await Venue.select(Venue._meta.primary_key, Venue.kind, Venue.name, Venue.region_code)
            .where(
                (Venue.operator == operator_id) & (Venue.active == True)  # noqa: E712
            )
            .order_by(Venue._meta.primary_key)
        )
        if not rows:
            raise DomainError("the operator has no active venues", field="venue_ids")
        return rows
    if len(set(venue_ids)) != len(venue_ids):
        raise DomainError("venue_ids lists a venue twice", field="venue_ids")
    rows = await Venue.select(
        Venue._meta.primary_key, Venue.kind, Venue.name, Venue.region_code, Venue.operator
    ).where(Venue._meta.primary_key.is_in(venue_ids))
    found = {r["id"]: r for r in rows}
    for i, venue_id in enumerate(venue_ids):
        row = found.get(venue_id)
        if row is None or row["operator"] != operator_id:
            raise DomainError(
                f"venue {venue_id} is not a venue of operator {operator_id}",
                field=f"venue_ids[{i}]",
            )
    return [found[v] for v in venue_ids]


async def _checklists(ids: list[int]) -> list[dict[str, Any]]:
    if len(set(ids)) != len(ids):
        raise DomainError(
            "checklist_version_ids lists a version twice", field="checklist_version_ids"
        )
    rows = await ChecklistVersion.select(
        ChecklistVersion.id,
        ChecklistVersion.checklist_key,
        ChecklistVersion.version,
        ChecklistVersion.content_hash,
        ChecklistVersion.applies_to,
    ).where(ChecklistVersion.id.is_in(ids))
    found = {r["id"]: r for r in rows}
    for i, version_id in enumerate(ids):
        if version_id not in found:
            raise DomainError(
                f"checklist version {version_id} not found", field=f"checklist_version_ids[{i}]"
            )
    out = [found[v] for v in ids]
    for row in out:
        if isinstance(row["applies_to"], str):
            row["applies_to"] = json.loads(row["applies_to"])
    return out


async def _inspectors(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise DomainError("inspector_ids lists an inspector twice", field="inspector_ids")
    if not ids:
        return []
    rows = await User.select(User._meta.primary_key, User.role, User.active).where(
        User._meta.primary_key.is_in(ids)
    )
    found = {r["id"]: r for r in rows}
    for i, user_id in enumerate(ids):
        row = found.get(user_id)
        if row is None or row["role"] != "inspector" or not row["active"]:
            raise DomainError(
                f"user {user_id} is not an active inspector", field=f"inspector_ids[{i}]"
            )
    return list(ids)


async def inspector_choices() -> list[dict[str, Any]]:
    """The users a plan may assign (what :func:`_inspectors` accepts): active inspectors."""
    return await (
        User.select(User._meta.primary_key, User.username, User.display_name)
        .where((User.role == "inspector") & (User.active == True))  # noqa: E712
        .order_by(User._meta.primary_key)
    )


async def build_scope(
    operator_id: int,
    sampling_mode: str,
    venue_ids: list[int],
    size: int | None,
    seed: str | None,
    checklist_ids: list[int],
    inspector_ids: list[int],
    on_site: bool | None,
) -> Scope:
    """Validate everything a plan refers to and draw its sample; raises DomainError (400)."""
    if not await Operator.exists().where(Operator._meta.primary_key == operator_id):
        raise DomainError(f"operator {operator_id} not found", field="operator_id")
    venues = await _venues(operator_id, venue_ids, sampling_mode)
    ids = [v["id"] for v in venues]
    if sampling_mode == "random":
        if size is None:
            raise DomainError("random sampling needs sample_size", field="sample_size")
        seed = seed or sampling.new_seed()
        try:
            sample = sampling.draw_sample(ids, size, seed)
        except ValueError as exc:
            raise DomainError(str(exc), field="sample_size") from exc
    else:
        if size is not None or seed is not None:
            raise DomainError(
                f"sample_size and sample_seed apply to random sampling, not {sampling_mode}",
                field="sample_size" if size is not None else "sample_seed",
            )
        sample = ids
    checklists = await _checklists(checklist_ids)
    kinds_covered = {k for c in checklists for k in c["applies_to"]}
    by_id = {v["id"]: v for v in venues}
    for venue_id in sample:
        kind = by_id[venue_id]["kind"]
        if kind not in kinds_covered:
            raise DomainError(
                f"no pinned checklist applies to venue {venue_id} ({kind})",
                field="checklist_version_ids",
            )
    inspectors = await _inspectors(inspector_ids)
    if on_site is None:
        on_site = any(by_id[v]["kind"] in ON_SITE_KINDS for v in sample)
    check_inspector_count(on_site, len(inspectors), for_approval=False)
    return Scope(venues, sample, seed, size, on_site, checklists, inspectors)


async def _write_scope(plan_id: int, scope: Scope) -> None:
    await PlanVenue.delete().where(PlanVenue.plan == plan_id)
    await PlanChecklist.delete().where(PlanChecklist.plan == plan_id)
    await PlanInspector.delete().where(PlanInspector.plan == plan_id)
    position = {venue_id: i for i, venue_id in enumerate(scope.sample)}
    await PlanVenue.insert(
        *[
            PlanVenue(
                plan=plan_id,
                venue=v["id"],
                in_sample=v["id"] in position,
                position=position.get(v["id"], -1),
            )
            for v in scope.venues
        ]
    )
    await PlanChecklist.insert(
        *[PlanChecklist(plan=plan_id, checklist_version=c["id"]) for c in scope.checklists]
    )
    if scope.inspector_ids:
        await PlanInspector.insert(
            *[PlanInspector(plan=plan_id, inspector=u) for u in scope.inspector_ids]
        )


def _check_window(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        raise DomainError("window_end must be after window_start", field="window_end")


async def create_plan(data: PlanIn, actor: Actor) -> dict[str, Any]:
    _check_window(data.window_start, data.window_end)
    scope = await build_scope(
        data.operator_id,
        data.sampling,
        data.venue_ids,
        data.sample_size,
        data.sample_seed,
        data.checklist_version_ids,
        data.inspector_ids,
        data.on_site,
    )
    async with write_transaction():
        rows = await AuditPlan.insert(
            AuditPlan(
                name=data.name,
                description=data.description,
                operator=data.operator_id,
                method=data.method,
                sampling=data.sampling,
                sample_size=scope.size,
                sample_seed=scope.seed,
                on_site=scope.on_site,
                window_start=data.window_start,
                window_end=data.window_end,
                status="draft",
                created_by=actor.id,
            )
        ).returning(AuditPlan.id)
        plan_id = rows[0]["id"]
        await _write_scope(plan_id, scope)
        plan = await load_plan(plan_id)
        await record(actor, "plan.create", "audit_plan", plan_id, None, plan)
    return plan


async def update_plan(plan_id: int, data: PlanPatch, actor: Actor) -> dict[str, Any]:
    """Edit a draft plan; the scope is re-validated and the sample re-drawn."""
    before = await get_plan(plan_id, actor)
    refused = await actions.refusal(before, "edit", actor)
    if refused is not None:
        raise refused.error(f"edit plan {plan_id}")
    fields = data.model_fields_set
    # An explicit null only means something for the optional fields; elsewhere it is "keep".
    nullable = {"sample_size", "sample_seed", "on_site"}
    changes = {k: getattr(data, k) for k in fields if getattr(data, k) is not None or k in nullable}
    merged = {**before, **changes}
    sampling_mode = merged["sampling"]
    venue_ids = (
        data.venue_ids if data.venue_ids is not None else [v["venue_id"] for v in before["venues"]]
    )
    size = merged["sample_size"] if sampling_mode == "random" else None
    seed = merged["sample_seed"] if sampling_mode == "random" else None
    if sampling_mode != "random" and ("sample_size" in fields or "sample_seed" in fields):
        size, seed = data.sample_size, data.sample_seed  # let build_scope reject them
    _check_window(merged["window_start"], merged["window_end"])
    scope = await build_scope(
        before["operator_id"],
        sampling_mode,
        venue_ids,
        size,
        seed,
        data.checklist_version_ids or [c["id"] for c in before["checklist_versions"]],
        data.inspector_ids if data.inspector_ids is not None else before["inspector_ids"],
        data.on_site if "on_site" in fields else None,
    )
    async with write_transaction():
        await AuditPlan.update(
            {
                AuditPlan.name: merged["name"],
                AuditPlan.description: merged["description"],
                AuditPlan.method: merged["method"],
                AuditPlan.sampling: sampling_mode,
                AuditPlan.sample_size: scope.size,
                AuditPlan.sample_seed: scope.seed,
                AuditPlan.on_site: scope.on_site,
                AuditPlan.window_start: merged["window_start"],
                AuditPlan.window_end: merged["window_end"],
            }
        ).where(AuditPlan.id == plan_id)
        await _write_scope(plan_id, scope)
        after = await load_plan(plan_id)
        await record(actor, "plan.update", "audit_plan", plan_id, before, after)
    return after


async def transition(plan_id: int, action: str, actor: Actor) -> dict[str, Any]:
    """draft → approved → active → completed → published; refusals come from
    :func:`audit.domain.plans.actions.refusal`, the rule the plan page shows too."""
    _source, target, stamp = TRANSITIONS[action]
    async with write_transaction():
        before = await get_plan(plan_id, actor)
        refused = await actions.refusal(before, action, actor)
        if refused is not None:
            raise refused.error(f"{action} plan {plan_id}")
        if action == "approve":  # a waived four-eyes approval is logged with it
            await four_eyes.check(actor, **await actions.four_eyes_args(plan_id))
        changes: dict[Any, Any] = {AuditPlan.status: target, getattr(AuditPlan, stamp): _now()}
        if action == "approve":
            changes[AuditPlan.approved_by] = actor.id
        updated = (
            await AuditPlan.update(changes)
            .where((AuditPlan.id == plan_id) & (AuditPlan.status == before["status"]))
            .returning(AuditPlan.id)
        )
        if not updated:
            raise InvalidTransition(f"plan {plan_id} changed meanwhile; reload it")
        after = await load_plan(plan_id)
        await record(actor, f"plan.{action}", "audit_plan", plan_id, before, after)
    return after


async def withdraw_draft(plan_id: int, reason: str, actor: Actor) -> dict[str, Any]:
    """draft → withdrawn (e.g. the complaint trigger that drafted it was superseded); a plan
    already approved is the authority's decision and is left alone (InvalidTransition)."""
    async with write_transaction():
        before = await load_plan(plan_id)
        updated = (
            await AuditPlan.update({AuditPlan.status: "withdrawn"})
            .where((AuditPlan.id == plan_id) & (AuditPlan.status == "draft"))
            .returning(AuditPlan.id)
        )
        if not updated:
            raise InvalidTransition(
                f"plan {plan_id} is {before['status']}; only a draft can be withdrawn"
            )
        after = await load_plan(plan_id)
        await record(
            actor, "plan.withdraw", "audit_plan", plan_id, before, {**after, "reason": reason}
        )
    return after
