"""Refuse a silent-call probe whose listening time cannot cover the protocol (issue 18 item 4).

The protocol comes from the checklist that will judge the call: the inspection's pinned
version, else the first of the plan's checklists with a silent-call binding, else the shipped
hotline checklist. A listen shorter than repetitions × greeting + pauses + final wait would
cut off every compliant agent, so it is refused before any call is placed.
"""

from __future__ import annotations

from audit.errors import DomainError
from checklists.schema import Checklist
from probes.analysis.checklist_source import HOTLINE_ID, shipped
from probes.analysis.silent_call import SilentCallParams, protocol_params


async def _candidates(plan_id: int | None, inspection_id: int | None) -> list[Checklist]:
    from audit.domain.inspections.access import load_inspection
    from audit.domain.plans.checklist_versions import pinned_checklist
    from audit.domain.plans.tables import PlanChecklist

    if inspection_id is not None:
        inspection = await load_inspection(inspection_id)
        return [await pinned_checklist(int(inspection["checklist_version_id"]))]
    if plan_id is None:
        return []
    rows = (
        await PlanChecklist.select(PlanChecklist.checklist_version)
        .where(PlanChecklist.plan == plan_id)
        .order_by(PlanChecklist.id)
    )
    return [await pinned_checklist(int(r["checklist_version"])) for r in rows]


async def silent_protocol(
    plan_id: int | None = None, inspection_id: int | None = None
) -> tuple[str, SilentCallParams]:
    """(checklist id, protocol) that will judge a silent-call probe."""
    for checklist in await _candidates(plan_id, inspection_id):
        params = protocol_params(checklist)
        if params:
            return checklist.id, SilentCallParams.from_params(params, strict=False)
    return HOTLINE_ID, SilentCallParams.from_params(
        protocol_params(shipped(HOTLINE_ID)), strict=False
    )


async def check_listen_time(
    listen_s: float, *, plan_id: int | None = None, inspection_id: int | None = None
) -> None:
    """Raise a 400 naming ``listen_s`` when it cannot cover the protocol."""
    checklist_id, protocol = await silent_protocol(plan_id, inspection_id)
    needed = protocol.required_listen_s()
    if listen_s < needed:
        raise DomainError(
            f"listen_s {listen_s:g} s cannot cover the silent-call protocol of checklist "
            f"{checklist_id!r}: {protocol.explain_listen()}; listen at least {needed:g} s",
            field="listen_s",
        )
