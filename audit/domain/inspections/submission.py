"""Submitting an inspection: score, findings, sealing — and, on site, the pair's confirmation.

Seed 004 Art. 7: inspectors who enter premises work in pairs (两人以上). An on-site
inspection is therefore submitted by one assigned inspector and confirmed by a second one;
both are recorded (who, when) on the inspection and in the audit log. Until the second one
confirms, the inspection is ``pending``: read only, not scored, no findings. Either of them can
send it back to ``open`` with a reason instead. Off-site inspections (hotline, chat) are
submitted in one step, as before.

Refused (400, nothing written) while an item is unanswered or a failed item lacks its
required evidence — checked again at confirmation, on the stored answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.evidence import services as evidence
from audit.domain.inspections.access import answers_of, get_readable, get_writable, load_inspection
from audit.domain.inspections.services import answers_for_scoring, score_json
from audit.domain.inspections.tables import Finding, Inspection
from audit.domain.plans.access import load_plan
from audit.domain.plans.checklist_versions import pinned_checklist
from audit.errors import DomainError, InvalidTransition, Refusal
from checklists.schema import Checklist
from checklists.scoring import Score, score_answers

PAIR_RULE = "seed 004 Art. 7: on-site inspectors work in pairs"


@dataclass(frozen=True)
class SubmissionActions:
    """What ``actor`` may do with an inspection's submission now (None = allowed)."""

    submit: Refusal | None
    confirm: Refusal | None
    decline: Refusal | None
    pair_required: bool


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _submit_refusal(
    inspection: dict[str, Any], plan: dict[str, Any], actor: Actor, score: Score | None
) -> Refusal | None:
    pair = bool(plan["on_site"])
    if inspection["status"] != "open":
        return Refusal(f"the inspection is {inspection['status']}")
    if plan["status"] != "active":
        return Refusal(f"the plan is {plan['status']}, not active")
    assigned = actor.role == "inspector" and actor.id in plan["inspector_ids"]
    if pair and not assigned:
        return Refusal(
            f"an on-site inspection is submitted by an inspector assigned to plan {plan['id']} "
            f"({PAIR_RULE})",
            403,
        )
    if not pair and not (assigned or actor.role in ("admin", "supervisor")):
        return Refusal("only the plan's inspectors or a supervisor may submit", 403)
    if score is not None and not score.submittable:
        return Refusal("; ".join(score.blockers), 400)
    return None


def _pair_refusal(
    inspection: dict[str, Any], plan: dict[str, Any], actor: Actor, confirming: bool
) -> Refusal | None:
    if not plan["on_site"]:
        return Refusal("an off-site inspection needs no second confirmation")
    if inspection["status"] != "pending":
        return Refusal(f"the inspection is {inspection['status']}, not waiting for confirmation")
    if plan["status"] != "active":
        return Refusal(f"the plan is {plan['status']}, not active")
    if not (actor.role == "inspector" and actor.id in plan["inspector_ids"]):
        return Refusal(f"only the inspectors assigned to plan {plan['id']} confirm", 403)
    if confirming and actor.id == inspection["submitted_by_id"]:
        who = inspection["submitted_by_name"] or "the submitter"
        return Refusal(f"{who} submitted it; a second inspector confirms ({PAIR_RULE})", 403)
    return None


def submission_actions(
    inspection: dict[str, Any], plan: dict[str, Any], actor: Actor, score: Score | None = None
) -> SubmissionActions:
    """The rule behind the submit / confirm / decline buttons and the API alike.

    ``score`` (the current preview) lets the submit refusal name the blockers.
    """
    return SubmissionActions(
        submit=_submit_refusal(inspection, plan, actor, score),
        confirm=_pair_refusal(inspection, plan, actor, confirming=True),
        decline=_pair_refusal(inspection, plan, actor, confirming=False),
        pair_required=bool(plan["on_site"]),
    )


async def _context(inspection_id: int, actor: Actor) -> tuple[dict[str, Any], dict[str, Any]]:
    inspection = await get_readable(inspection_id, actor)
    return inspection, await load_plan(inspection["plan_id"])


async def _scored(inspection: dict[str, Any]) -> tuple[Checklist, list[dict[str, Any]], Score]:
    checklist = await pinned_checklist(inspection["checklist_version_id"])
    rows = await answers_of(inspection["id"])
    return checklist, rows, score_answers(checklist, answers_for_scoring(rows))


async def submit_inspection(inspection_id: int, actor: Actor) -> dict[str, Any]:
    """Submit: off site, score and close at once; on site, wait for the second inspector."""
    inspection, plan = await _context(inspection_id, actor)
    refusal = _submit_refusal(inspection, plan, actor, None)
    if refusal:
        raise refusal.error(f"submit inspection {inspection_id}")
    inspection = await get_writable(inspection_id, actor)
    checklist, rows, score = await _scored(inspection)
    if not score.submittable:
        raise DomainError("cannot submit: " + "; ".join(score.blockers), field="items")
    if not plan["on_site"]:
        return await _finalise(inspection, plan, checklist, rows, score, actor, submitted=True)
    async with engine().transaction():
        updated = await _move(
            inspection_id,
            "open",
            {
                Inspection.status: "pending",
                Inspection.submitted_by: actor.id,
                Inspection.submitted_by_name: actor.name,
                Inspection.submitted_at: _now(),
            },
        )
        if not updated:
            raise InvalidTransition(f"inspection {inspection_id} was submitted meanwhile")
        after = await load_inspection(inspection_id)
        await record(actor, "inspection.submit", "inspection", inspection_id, inspection, after)
    return after


async def confirm_inspection(inspection_id: int, actor: Actor) -> dict[str, Any]:
    """The second assigned inspector confirms a pending on-site inspection: it is scored."""
    inspection, plan = await _context(inspection_id, actor)
    refusal = _pair_refusal(inspection, plan, actor, confirming=True)
    if refusal:
        raise refusal.error(f"confirm inspection {inspection_id}")
    checklist, rows, score = await _scored(inspection)
    if not score.submittable:  # cannot happen while pending freezes answers; checked anyway
        raise DomainError("cannot confirm: " + "; ".join(score.blockers), field="items")
    return await _finalise(inspection, plan, checklist, rows, score, actor, submitted=False)


async def decline_confirmation(inspection_id: int, reason: str, actor: Actor) -> dict[str, Any]:
    """Either inspector of the pair sends a pending inspection back to open, saying why."""
    inspection, plan = await _context(inspection_id, actor)
    refusal = _pair_refusal(inspection, plan, actor, confirming=False)
    if refusal:
        raise refusal.error(f"decline inspection {inspection_id}")
    async with engine().transaction():
        updated = await _move(
            inspection_id,
            "pending",
            {
                Inspection.status: "open",
                Inspection.submitted_by: None,
                Inspection.submitted_by_name: "",
                Inspection.submitted_at: None,
            },
        )
        if not updated:
            raise InvalidTransition(f"inspection {inspection_id} changed meanwhile")
        after = await load_inspection(inspection_id)
        await record(
            actor,
            "inspection.decline",
            "inspection",
            inspection_id,
            inspection,
            {**after, "reason": reason},
        )
    return after


async def _move(inspection_id: int, source: str, values: dict[Any, Any]) -> bool:
    """Compare-and-set on the status, so two racing requests cannot both win."""
    rows = (
        await Inspection.update(values)
        .where((Inspection.id == inspection_id) & (Inspection.status == source))
        .returning(Inspection.id)
    )
    return bool(rows)


async def _finalise(
    inspection: dict[str, Any],
    plan: dict[str, Any],
    checklist: Checklist,
    rows: list[dict[str, Any]],
    score: Score,
    actor: Actor,
    submitted: bool,
) -> dict[str, Any]:
    """Store the score, write a finding per failed item and seal the evidence (Art. 7)."""
    inspection_id = inspection["id"]
    now = _now()
    values: dict[Any, Any] = {
        Inspection.status: "submitted",
        Inspection.score: None if score.score is None else str(score.score),
        Inspection.passed: score.passed,
        Inspection.score_detail: score_json(score),
    }
    if submitted:
        values.update(
            {
                Inspection.submitted_by: actor.id,
                Inspection.submitted_by_name: actor.name,
                Inspection.submitted_at: now,
            }
        )
    else:
        values.update(
            {
                Inspection.confirmed_by: actor.id,
                Inspection.confirmed_by_name: actor.name,
                Inspection.confirmed_at: now,
            }
        )
    by_item = {r["item_id"]: r for r in rows}
    async with engine().transaction():
        if not await _move(inspection_id, "open" if submitted else "pending", values):
            raise InvalidTransition(f"inspection {inspection_id} was submitted meanwhile")
        for item_id in score.failed_items:
            item = checklist.item(item_id)
            assert item is not None
            answer = by_item[item_id]
            await Finding.insert(
                Finding(
                    inspection=inspection_id,
                    plan=plan["id"],
                    operator=plan["operator_id"],
                    venue=inspection["venue_id"],
                    checklist_key=checklist.id,
                    checklist_version=inspection["checklist_version_id"],
                    item_id=item_id,
                    severity=item.severity,
                    deduction=str(item.deduction),
                    text_zh=item.text.zh,
                    text_en=item.text.en,
                    source=item.source.model_dump(exclude_none=True),
                    note=answer["note"] or "",
                    evidence_ids=[e["id"] for e in answer["evidence"]],
                    inspector=answer["recorded_by_id"],
                    inspector_name=answer["recorded_by_name"],
                    found_at=answer["recorded_at"] or now,
                )
            )
        # Art. 7: the original records are sealed with the submitted inspection.
        await evidence.seal_many([e["id"] for r in rows for e in r["evidence"]], actor)
        after = await load_inspection(inspection_id)
        action = "inspection.submit" if submitted else "inspection.confirm"
        await record(actor, action, "inspection", inspection_id, inspection, after)
    return after
