"""Reading probe runs, and who may read them.

Staff who may see the run's plan see the run; runs outside a plan are for the regulator's
readers (admin, supervisor, analyst) and their creator. Operator users see a run only when it
belongs to their operator and its plan is published (covert probes stay hidden until then;
seed 004 Art. 12); otherwise the answer is 404, as for a missing run.
"""

from __future__ import annotations

import json
from typing import Any

from audit.context import Actor
from audit.domain.probing.tables import ProbeRun
from audit.errors import NotFound

_JSON = ("params", "events", "measures", "observations", "item_results", "evidence_ids")
_FIELDS = (
    ProbeRun.id,
    ProbeRun.kind,
    ProbeRun.status,
    ProbeRun.venue.as_alias("venue_id"),
    ProbeRun.operator.as_alias("operator_id"),
    ProbeRun.plan.as_alias("plan_id"),
    ProbeRun.inspection.as_alias("inspection_id"),
    ProbeRun.campaign_run_id,
    ProbeRun.target,
    ProbeRun.caller_id,
    ProbeRun.covert,
    ProbeRun.provider,
    ProbeRun.provider_ref,
    ProbeRun.outcome,
    ProbeRun.params,
    ProbeRun.measures,
    ProbeRun.observations,
    ProbeRun.item_results,
    ProbeRun.evidence_ids,
    ProbeRun.error_code,
    ProbeRun.error_reason,
    ProbeRun.error_permanent,
    ProbeRun.created_by.as_alias("created_by_id"),
    ProbeRun.created_at,
    ProbeRun.started_at,
    ProbeRun.ended_at,
    ProbeRun.updated_at,
)
READ_ALL = ("admin", "supervisor", "analyst")


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in _JSON:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


async def load_run(run_id: int) -> dict[str, Any]:
    row = await ProbeRun.select(*_FIELDS).where(ProbeRun.id == run_id).first()
    if row is None:
        raise NotFound(f"probe run {run_id} not found")
    return _decode(row)


async def may_read(run: dict[str, Any], actor: Actor) -> bool:
    from audit.domain.plans.access import load_plan, may_see
    from audit.domain.plans.confidentiality import results_released

    if actor.role in READ_ALL or (actor.id is None and actor.role == "system"):
        return True
    if run["plan_id"] is None:
        return actor.id is not None and actor.id == run["created_by_id"]
    plan = await load_plan(run["plan_id"])
    if not may_see(actor, plan, plan["inspector_ids"]):
        return False
    return not actor.is_operator or results_released(plan)


async def check_readable(run: dict[str, Any], actor: Actor) -> None:
    if not await may_read(run, actor):
        raise NotFound(f"probe run {run['id']} not found")


async def find_by_campaign_run(campaign_run_id: int) -> int | None:
    """The probe run started for a campaign run, if any (for the campaigns' reconciler)."""
    row = (
        await ProbeRun.select(ProbeRun.id)
        .where(ProbeRun.campaign_run_id == campaign_run_id)
        .order_by(ProbeRun.id, ascending=False)
        .first()
    )
    return None if row is None else int(row["id"])
