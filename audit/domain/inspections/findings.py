"""Querying findings (what notices are made of); they are written on submission."""

from __future__ import annotations

import json
from typing import Any

from audit.context import Actor
from audit.domain.evidence import services as evidence
from audit.domain.inspections.tables import Finding
from audit.domain.plans import confidentiality
from audit.domain.plans.access import load_plan, may_see, visible_plan_ids

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
        if actor.is_operator and not confidentiality.results_released(plan):
            continue
        for key in ("source", "evidence_ids"):
            if isinstance(row[key], str):
                row[key] = json.loads(row[key])
        row["evidence"] = await evidence.get_many(list(row["evidence_ids"]))
        out.append(row)
    return out
