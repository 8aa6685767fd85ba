"""Who may read and write an inspection; loading one with its answers and evidence."""

from __future__ import annotations

import json
from typing import Any

from audit.context import Actor
from audit.domain.evidence.services import get_many
from audit.domain.inspections.tables import Inspection, ItemEvidence, ItemResult
from audit.domain.plans import confidentiality
from audit.domain.plans.access import is_assigned, load_plan, may_see, visible_plans
from audit.errors import Forbidden, InvalidTransition, NotFound

WRITE_ALL_ROLES = ("admin", "supervisor", "system")

_FIELDS = (
    Inspection.id,
    Inspection.plan.as_alias("plan_id"),
    Inspection.venue.as_alias("venue_id"),
    Inspection.venue.kind.as_alias("venue_kind"),
    Inspection.venue.name.as_alias("venue_name"),
    Inspection.checklist_version.as_alias("checklist_version_id"),
    Inspection.checklist_version.checklist_key.as_alias("checklist_key"),
    Inspection.checklist_version.version.as_alias("checklist_version"),
    Inspection.status,
    Inspection.started_by.as_alias("started_by_id"),
    Inspection.started_at,
    Inspection.submitted_by.as_alias("submitted_by_id"),
    Inspection.submitted_by_name,
    Inspection.submitted_at,
    Inspection.confirmed_by.as_alias("confirmed_by_id"),
    Inspection.confirmed_by_name,
    Inspection.confirmed_at,
    Inspection.score,
    Inspection.passed,
    Inspection.score_detail,
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def load_inspection(inspection_id: int) -> dict[str, Any]:
    row = await Inspection.select(*_FIELDS).where(Inspection.id == inspection_id).first()
    if row is None:
        raise NotFound(f"inspection {inspection_id} not found")
    row["score_detail"] = _json(row["score_detail"])
    return row


def readable_plans(actor: Actor) -> Any | None:
    """Plans whose inspections ``actor`` may read, as a sub-select of ids (None = all): the
    visible ones, and for operator users only the published ones (see :func:`can_read`)."""
    return visible_plans(actor, results_only=True)  # rule 2 for operator users


async def list_inspections(
    actor: Actor,
    plan_id: int | None = None,
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the inspections ``actor`` may read, and how many there are in all."""
    readable = readable_plans(actor)

    def where(query: Any) -> Any:
        if plan_id is not None:
            query = query.where(Inspection.plan == plan_id)
        if status:
            query = query.where(Inspection.status == status)
        if readable is not None:
            query = query.where(Inspection.plan.is_in(readable))
        return query

    query = where(Inspection.select(*_FIELDS, Inspection.plan.name.as_alias("plan_name")))
    query = query.order_by(Inspection.id, ascending=not newest_first)
    if limit is not None:  # SQLite takes an offset only with a limit
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.limit(2_147_483_647).offset(offset)
    rows = await query
    for row in rows:
        row["score_detail"] = _json(row["score_detail"])
    return rows, int(await where(Inspection.count()))


async def can_read(actor: Actor, inspection: dict[str, Any]) -> bool:
    plan = await load_plan(inspection["plan_id"])
    if not may_see(actor, plan, plan["inspector_ids"]):
        return False
    # Operators see results only once published (Art. 12 for covert plans; the same for open
    # ones, so a result is never shown before the authority releases it).
    return not actor.is_operator or confidentiality.results_released(plan)


async def get_readable(inspection_id: int, actor: Actor) -> dict[str, Any]:
    inspection = await load_inspection(inspection_id)
    if not await can_read(actor, inspection):
        raise NotFound(f"inspection {inspection_id} not found")
    return inspection


async def check_may_write(plan_id: int, actor: Actor) -> None:
    if actor.role in WRITE_ALL_ROLES:
        return
    if actor.role == "inspector" and await is_assigned(plan_id, actor.id):
        return
    raise Forbidden(f"only the plan's inspectors or a supervisor may record on plan {plan_id}")


async def get_writable(inspection_id: int, actor: Actor) -> dict[str, Any]:
    """An open inspection of an active plan that ``actor`` may record on."""
    inspection = await load_inspection(inspection_id)
    plan = await load_plan(inspection["plan_id"])
    if not may_see(actor, plan, plan["inspector_ids"]):
        raise NotFound(f"inspection {inspection_id} not found")
    await check_may_write(plan["id"], actor)
    if inspection["status"] != "open":
        raise InvalidTransition(f"inspection {inspection_id} is {inspection['status']}; read only")
    if plan["status"] != "active":
        raise InvalidTransition(f"plan {plan['id']} is {plan['status']}, not active")
    return inspection


async def answers_of(inspection_id: int) -> list[dict[str, Any]]:
    rows = (
        await ItemResult.select(
            ItemResult.item_id,
            ItemResult.result,
            ItemResult.note,
            ItemResult.measured_value,
            ItemResult.measures,
            ItemResult.source,
            ItemResult.recorded_by.as_alias("recorded_by_id"),
            ItemResult.recorded_by_name,
            ItemResult.recorded_at,
            ItemResult.client_id,
            ItemResult.answered_at,
            ItemResult.revision,
        )
        .where(ItemResult.inspection == inspection_id)
        .order_by(ItemResult.id)
    )
    links = (
        await ItemEvidence.select(
            ItemEvidence.item_id, ItemEvidence.evidence, ItemEvidence.client_id
        )
        .where(ItemEvidence.inspection == inspection_id)
        .order_by(ItemEvidence.id)
    )
    evidence = {e["id"]: e for e in await get_many([link["evidence"] for link in links])}
    by_item: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        # client_id: the browser's id for the upload, so the form knows it has arrived
        row = {**evidence[link["evidence"]], "client_id": link["client_id"]}
        by_item.setdefault(link["item_id"], []).append(row)
    for row in rows:
        row["measures"] = _json(row["measures"])
        row["evidence"] = by_item.pop(row["item_id"], [])
    # evidence attached before an answer was recorded still shows up
    for item_id, items in by_item.items():
        rows.append(
            {
                "item_id": item_id,
                "result": None,
                "note": "",
                "measured_value": "",
                "measures": None,
                "source": None,
                "recorded_by_id": None,
                "recorded_by_name": "",
                "recorded_at": None,
                "client_id": None,
                "answered_at": None,
                "revision": 0,
                "evidence": items,
            }
        )
    return rows
