"""The confidentiality rule: what an operator may learn of an audit plan's work, and when.

One rule (seed 004 Art. 12: covert inspections stay confidential until the authority
publishes them), used by every path that can show a plan's work to an operator user —
plans, inspections, findings, evidence, probe runs, campaigns and notices:

1. **The plan itself**: an operator user sees their own operator's *open* plans once
   approved, and *covert* plans only once published (:func:`operator_may_see_plan`).
2. **Results** (inspections, findings, evidence, probe runs, campaign statistics) reach an
   operator user only once the plan is published (:func:`results_released`).
3. **How probing is done** — schedules, windows, seeds, caller IDs, targets — never reaches
   an operator user, not even for open or published plans (:func:`operator_view_of_campaign`):
   what they learn of a campaign is what its results disclose.
4. **Anything addressed to an operator** (a notice) that draws on a covert plan's work may be
   drafted and issued only once that plan is published — or with an explicit supervisor
   override, which is written to the audit log and kept with the notice
   (:func:`check_may_address`). Operator users read such a notice only when the rule held at
   issue (:func:`notice_released`).

Anything an operator may not see answers 404, exactly like a missing record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from audit.context import Actor
from audit.errors import Conflict, DomainError, Forbidden

# who may override rule 4 (docs/security.md, role matrix: "confidentiality.override")
OVERRIDE_KEY = "confidentiality_override"  # kept in the notice's source, set only here
_REFS = (re.compile(r"\bPLAN-(\d{1,10})\b"), re.compile(r"\bINS-(\d{1,10})\b"))


def operator_may_see_plan(plan: dict[str, Any]) -> bool:
    """Rule 1 (the plan record, not its results)."""
    if plan["status"] == "published":
        return True
    return plan["method"] == "open" and plan["status"] != "draft"


def results_released(plan: dict[str, Any]) -> bool:
    """Rule 2: a plan's results reach operator users once the authority publishes them."""
    return plan["status"] == "published"


def withheld_from_operator(plan: dict[str, Any]) -> bool:
    """Rule 4: a covert plan's work stays with the authority until the plan is published."""
    return plan["method"] == "covert" and plan["status"] != "published"


# --- rule 3: campaigns ------------------------------------------------------------------

# What an operator user may read of a campaign: it exists, for which plan, its kind and
# state. Never ``spec`` (seed, windows, caller IDs), targets, or run times.
_CAMPAIGN_PUBLIC = ("id", "plan", "operator", "name", "probe_kind", "status")


def operator_view_of_campaign(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row.get(key) for key in _CAMPAIGN_PUBLIC}


def operator_view_of_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan as an operator user reads it: without the sampling seed (it would let them
    re-derive the sample) and without who inspects."""
    return {**plan, "sample_seed": None, "inspector_ids": []}


# --- rule 4: notices ------------------------------------------------------------------


async def plans_referenced(source: Any, content: Any = None) -> set[int]:
    """Ids of the plans whose work a notice draws on: ``plan_id``, ``inspection_id``,
    ``probe_run_id(s)``, ``campaign_id``, ``evidence_ids`` in its source, and ``PLAN-n`` /
    ``INS-n`` references in its text (as the drafts write them)."""
    from audit.domain.campaigns.tables import ProbeCampaign
    from audit.domain.inspections.tables import Inspection
    from audit.domain.probing.tables import ProbeRun

    source = source if isinstance(source, dict) else {}
    plans = set(_ints(source.get("plan_id")))
    inspections = set(_ints(source.get("inspection_id")))
    runs = set(_ints(source.get("probe_run_id"))) | set(_ints(source.get("probe_run_ids")))
    campaigns = set(_ints(source.get("campaign_id")))
    text = json.dumps(content, ensure_ascii=False, default=str) if content else ""
    plans |= {int(m) for m in _REFS[0].findall(text)}
    inspections |= {int(m) for m in _REFS[1].findall(text)}
    if inspections:
        rows = await Inspection.select(Inspection.plan).where(
            Inspection.id.is_in(list(inspections))
        )
        plans |= {r["plan"] for r in rows}
    if runs:
        rows = await ProbeRun.select(ProbeRun.plan).where(ProbeRun.id.is_in(list(runs)))
        plans |= {r["plan"] for r in rows if r["plan"] is not None}
    if campaigns:
        rows = await ProbeCampaign.select(ProbeCampaign.plan).where(
            ProbeCampaign.id.is_in(list(campaigns))
        )
        plans |= {r["plan"] for r in rows}
    evidence = list(_ints(source.get("evidence_ids")))
    if evidence:
        plans |= await plans_of_evidence(evidence)
    return plans


async def check_sees_plans(actor: Actor, plan_ids: Iterable[int], field: str) -> None:
    """Whoever drafts from a plan's work must be allowed to see that plan (an inspector only
    their own plans): else 404 naming the field, as for a missing plan."""
    from audit.domain.plans.access import load_plans, may_see
    from audit.errors import NotFound

    if actor.role == "system":
        return
    for plan in await load_plans(sorted(set(plan_ids))):
        if not may_see(actor, plan, plan["inspector_ids"]):
            raise NotFound(f"plan {plan['id']} not found", field=field)


async def may_see_evidence(actor: Actor, evidence: dict[str, Any]) -> bool:
    """Evidence follows the visibility of the plans it belongs to: readers of every plan see
    it all; an inspector sees what they uploaded and the evidence of plans they are on."""
    from audit.domain.plans.access import READ_ALL_ROLES, is_assigned

    if actor.role in READ_ALL_ROLES or actor.role == "system":
        return True
    if actor.role != "inspector":
        return False
    if actor.id is not None and evidence.get("uploaded_by_id") == actor.id:
        return True
    for plan_id in await plans_of_evidence([int(evidence["id"])]):
        if await is_assigned(plan_id, actor.id):
            return True
    return False


async def withheld_plans(plan_ids: Iterable[int]) -> list[int]:
    """The plans among ``plan_ids`` whose work is still withheld from operators (rule 4)."""
    from audit.domain.plans.tables import AuditPlan

    ids = sorted(set(plan_ids))
    if not ids:
        return []
    rows = await AuditPlan.select(AuditPlan.id, AuditPlan.method, AuditPlan.status).where(
        AuditPlan.id.is_in(ids)
    )
    return sorted(r["id"] for r in rows if withheld_from_operator(r))


def may_override(actor: Actor) -> bool:
    from audit.domain.accounts.roles import can

    return can(actor.role, "confidentiality.override")


async def check_may_address(
    actor: Actor,
    operator_id: int | None,
    source: Any,
    content: Any,
    *,
    override: str | None = None,
    field: str = "source",
) -> dict[str, Any] | None:
    """Rule 4, before drafting or issuing something addressed to operator ``operator_id``.

    Returns the override record to keep with the notice (None when none was needed), and
    writes it to the audit log (call inside the write's transaction). Raises 409 naming the
    plans when the work is withheld and no override is given, 403 when the actor may not
    override."""
    if operator_id is None:  # public notices address no one operator (statistics only)
        return None
    kept = source.get(OVERRIDE_KEY) if isinstance(source, dict) else None
    withheld = await withheld_plans(await plans_referenced(source, content))
    if not withheld or kept:
        return kept if isinstance(kept, dict) else None
    plans = ", ".join(str(p) for p in withheld)
    reason = (override or "").strip()
    if not reason:
        raise Conflict(
            f"covert plan {plans} is not published: its findings may not be addressed to the "
            "operator before publication (a supervisor may override, giving a reason)",
            field=field,
        )
    if not may_override(actor):
        raise Forbidden(f"role {actor.role!r} may not override the confidentiality of plan {plans}")
    if len(reason) > 500:
        raise DomainError("the override reason is longer than 500 characters", "override_reason")
    from audit import clock
    from audit.domain.auditlog.services import record

    granted = {
        "plans": withheld,
        "reason": reason,
        "by": actor.name,
        "by_id": actor.id,
        "at": clock.now().isoformat(),
    }
    await record(actor, "plan.confidentiality_override", "plan", withheld[0], None, granted)
    return granted


def strip_override(source: dict[str, Any] | None) -> dict[str, Any]:
    """A client never sets the override record itself (only :func:`check_may_address`)."""
    if source and OVERRIDE_KEY in source:
        raise DomainError(f"source.{OVERRIDE_KEY} is set by the server only", field="source")
    return dict(source or {})


async def notice_released(row: dict[str, Any]) -> bool:
    """May an operator user read this (issued, their own) notice? Only when no covert plan it
    draws on is still withheld, or a supervisor's override is recorded with it."""
    source = row.get("source") or {}
    if isinstance(source, dict) and source.get(OVERRIDE_KEY):
        return True
    return not await withheld_plans(await plans_referenced(source, row.get("content")))


# --- evidence -------------------------------------------------------------------------


async def plans_of_evidence(evidence_ids: list[int]) -> set[int]:
    """The plans an evidence file belongs to: through the inspection item it is attached to,
    the probe run that recorded it, or the tracked finding it documents."""
    from audit.domain.inspections.tables import ItemEvidence
    from audit.domain.probing.tables import ProbeRun

    ids = set(evidence_ids)
    if not ids:
        return set()
    rows = await ItemEvidence.select(ItemEvidence.inspection.plan.as_alias("plan")).where(
        ItemEvidence.evidence.is_in(list(ids))
    )
    plans = {r["plan"] for r in rows}
    for row in await _json_list_contains(ProbeRun, "plan", ids):
        plans.add(row)
    try:
        from audit.domain.portal.tables import Dispute, FindingItem, Rectification
    except ImportError:  # pragma: no cover - the portal domain is optional
        return plans
    item_ids: set[int] = set()
    for table in (Rectification, Dispute):
        item_ids |= set(await _json_list_contains(table, "item", ids))
    if item_ids:
        found = await FindingItem.select(FindingItem.plan_id).where(
            FindingItem.id.is_in(list(item_ids))
        )
        plans |= {r["plan_id"] for r in found if r["plan_id"] is not None}
    return plans


async def _json_list_contains(table: Any, column: str, ids: set[int]) -> list[int]:
    """Values of ``column`` for rows whose ``evidence_ids`` JSON list holds one of ``ids``.

    The JSON text is narrowed with LIKE (both databases), then checked exactly."""
    from piccolo.columns.combination import WhereRaw

    col = table.evidence_ids
    found: list[int] = []
    for evidence_id in ids:
        rows = await table.select(getattr(table, column).as_alias("v"), col).where(
            WhereRaw("CAST(evidence_ids AS TEXT) LIKE {}", f"%{evidence_id}%")
        )
        for r in rows:
            values = r["evidence_ids"]
            values = json.loads(values) if isinstance(values, str) else values
            if evidence_id in (values or []) and r["v"] is not None:
                found.append(int(r["v"]))
    return found


def _ints(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
