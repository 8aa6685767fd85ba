"""Changing the result of an item of a *submitted* inspection after a dispute (issue 17):
the answer is amended in place (the old one stays in the audit log), and the inspection is
re-scored from the stored answers and its pinned checklist version, as at submission."""

from __future__ import annotations

from typing import Any

from audit import clock
from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.inspections.access import answers_of, load_inspection
from audit.domain.inspections.services import _check_result, _item, compute_score, score_json
from audit.domain.inspections.tables import Inspection, ItemResult
from audit.domain.plans.checklist_versions import pinned_checklist
from audit.errors import DomainError, InvalidTransition


async def amend_submitted_answer(
    inspection_id: int, item_id: str, result: str, note: str, actor: Actor
) -> dict[str, Any]:
    """Set ``item_id``'s result on a submitted inspection and re-score; returns the new score
    (``score_json``). Call inside the caller's transaction (with the decision it records)."""
    inspection = await load_inspection(inspection_id)
    if inspection["status"] != "submitted":
        raise InvalidTransition(
            f"inspection {inspection_id} is {inspection['status']}; only submitted ones are "
            "amended after a dispute",
            field="inspection",
        )
    item = _item(await pinned_checklist(inspection["checklist_version_id"]), item_id)
    _check_result(item, result)
    before = next((a for a in await answers_of(inspection_id) if a["item_id"] == item_id), None)
    if before is None:
        raise DomainError(f"inspection {inspection_id} has no answer for {item_id}", "item_id")
    await ItemResult.update(
        {
            ItemResult.result: result,
            ItemResult.note: note,
            ItemResult.recorded_by: actor.id,
            ItemResult.recorded_by_name: actor.name,
            ItemResult.recorded_at: clock.now(),
        }
    ).where((ItemResult.inspection == inspection_id) & (ItemResult.item_id == item_id))
    score = await compute_score(inspection)
    detail = score_json(score)
    await Inspection.update(
        {
            Inspection.score: None if score.score is None else str(score.score),
            Inspection.passed: score.passed,
            Inspection.score_detail: detail,
        }
    ).where(Inspection.id == inspection_id)
    await record(
        actor,
        "inspection.amend",
        "inspection",
        inspection_id,
        {
            "item_id": item_id,
            "result": before["result"],
            "note": before["note"],
            "score": inspection["score"],
        },
        {"item_id": item_id, "result": result, "note": note, "score": detail["score"]},
    )
    return detail
