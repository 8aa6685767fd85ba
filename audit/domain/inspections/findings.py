"""Submitting an inspection (score, findings, sealing) and querying findings for notices."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.evidence import services as evidence
from audit.domain.inspections.access import answers_of, get_writable, load_inspection
from audit.domain.inspections.services import answers_for_scoring, score_json
from audit.domain.inspections.tables import Finding, Inspection
from audit.domain.plans.access import load_plan, may_see, visible_plan_ids
from audit.domain.plans.checklist_versions import pinned_checklist
from audit.errors import DomainError
from checklists.scoring import score_answers


async def submit_inspection(inspection_id: int, actor: Actor) -> dict[str, Any]:
    """Score and close an inspection; each failed item becomes a finding; evidence is sealed.

    Refused (400, nothing written) while an item is unanswered or a failed item lacks its
    required evidence.
    """
    inspection = await get_writable(inspection_id, actor)
    checklist = await pinned_checklist(inspection["checklist_version_id"])
    rows = await answers_of(inspection_id)
    score = score_answers(checklist, answers_for_scoring(rows))
    if not score.submittable:
        raise DomainError("cannot submit: " + "; ".join(score.blockers), field="items")
    plan = await load_plan(inspection["plan_id"])
    now = dt.datetime.now(dt.UTC)
    by_item = {r["item_id"]: r for r in rows}
    async with engine().transaction():
        updated = (
            await Inspection.update(
                {
                    Inspection.status: "submitted",
                    Inspection.submitted_by: actor.id,
                    Inspection.submitted_at: now,
                    Inspection.score: None if score.score is None else str(score.score),
                    Inspection.passed: score.passed,
                    Inspection.score_detail: score_json(score),
                }
            )
            .where((Inspection.id == inspection_id) & (Inspection.status == "open"))
            .returning(Inspection.id)
        )
        if not updated:  # someone else submitted in between
            raise DomainError(f"inspection {inspection_id} was submitted meanwhile", field="status")
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
        await record(actor, "inspection.submit", "inspection", inspection_id, inspection, after)
    return after


_FINDING_FIELDS = (
    Finding.id,
    Finding.inspection.as_alias("inspection_id"),
    Finding.plan.as_alias("plan_id"),
    Finding.operator.as_alias("operator_id"),
    Finding.venue.as_alias("venue_id"),
    Finding.venue.name.as_alias("venue_name"),
    Finding.venue.region_code.as_alias("region_code"),
    Finding.checklist_key,
    Finding.checklist_version.as_alias("checklist_version_id"),
    Finding.checklist_version.version.as_alias("checklist_version"),
    Finding.item_id,
    Finding.severity,
    Finding.deduction,
    Finding.text_zh,
    Finding.text_en,
    Finding.source,
    Finding.note,
    Finding.evidence_ids,
    Finding.inspector.as_alias("inspector_id"),
    Finding.inspector_name,
    Finding.found_at,
)


async def list_findings(
    actor: Actor,
    plan_id: int | None = None,
    inspection_id: int | None = None,
    operator_id: int | None = None,
) -> list[dict[str, Any]]:
    """Findings ``actor`` may see, newest plan first, each with its evidence metadata.

    This is the query the notices use: operator users only get findings of published plans
    of their own operator.
    """
    query = Finding.select(*_FINDING_FIELDS).order_by(Finding.plan, ascending=False)
    query = query.order_by(Finding.id)
    if plan_id is not None:
        query = query.where(Finding.plan == plan_id)
    if inspection_id is not None:
        query = query.where(Finding.inspection == inspection_id)
    if operator_id is not None:
        query = query.where(Finding.operator == operator_id)
    visible = await visible_plan_ids(actor)
    if visible is not None:
        query = query.where(Finding.plan.is_in(visible or [-1]))
    rows = await query
    plans: dict[int, dict[str, Any]] = {}
    out = []
    for row in rows:
        plan = plans.get(row["plan_id"]) or await load_plan(row["plan_id"])
        plans[row["plan_id"]] = plan
        if not may_see(actor, plan, plan["inspector_ids"]):
            continue
        if actor.is_operator and plan["status"] != "published":
            continue
        for key in ("source", "evidence_ids"):
            if isinstance(row[key], str):
                row[key] = json.loads(row[key])
        row["evidence"] = await evidence.get_many(list(row["evidence_ids"]))
        out.append(row)
    return out
