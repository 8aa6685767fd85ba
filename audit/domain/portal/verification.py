"""Verifying a reported rectification (issue 17).

- A finding that came from a probe gets a **re-probe**: a covert, targeted plan on the same
  venue with the same pinned checklist version, and a campaign (through the campaigns
  service) inside the verification window, with as many runs as the sample-size function
  asks for the stated margin. When the campaign has finished, each run's measures are judged
  by the item's own rule; the compliance rate decides: pass closes the finding, fail reopens
  it, too few judged runs return it for another try — automatically, with the runs as
  evidence.
- An on-site (or manual) finding gets a **re-inspection** task: an open, targeted plan on the
  venue for two inspectors; its submitted inspection's answer for the item decides the same way.

None of this is visible to the operator: the portal shows the state and, at the end, the
outcome only.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import structlog

from audit import clock
from audit.context import Actor
from audit.domain.accounts import roles as matrix
from audit.domain.campaigns.stats import required_sample_size, wilson_interval
from audit.domain.notices.services import write_tx
from audit.domain.portal import items, notify
from audit.domain.portal.config import get_portal_settings
from audit.domain.portal.tables import FindingItem, Rectification
from audit.errors import DomainError, Forbidden, InvalidTransition

log = structlog.get_logger("audit.portal")
VERIFIER = Actor(id=None, name="system (verification)", role="system")


def plan_for(
    item: dict[str, Any], margin: float | None = None, window_days: float | None = None
) -> dict[str, Any]:
    """The verification a finding calls for, with its sample size and window."""
    s = get_portal_settings()
    margin = margin or s.verification_margin
    window = window_days or s.verification_window_days
    if item["origin"] == "probe":
        n = required_sample_size(
            margin, confidence=s.verification_confidence, expected_rate=s.verification_expected_rate
        )
        return {
            "kind": "reprobe",
            "probe_kind": item["probe_kind"],
            "sample_size": min(n, s.verification_max_runs),
            "margin": margin,
            "confidence": s.verification_confidence,
            "expected_rate": s.verification_expected_rate,
            "pass_rate": s.verification_pass_rate,
            "window_days": window,
        }
    if item["inspection_id"] is not None:
        return {"kind": "reinspection", "window_days": window}
    raise DomainError(
        f"finding {item['id']} has no probe or inspection to repeat; close it with a written "
        "reason after reviewing the report",
        field="finding",
    )


async def propose(item: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """Record the proposal (rectification reported on a probe finding); nothing starts yet."""
    proposal = {**plan_for(item), "status": "proposed", "proposed_at": clock.now().isoformat()}
    return await items.update_fields(
        item["id"], actor, "verification_proposed", {FindingItem.verification: proposal}
    )


async def _plan(
    item: dict[str, Any],
    actor: Actor,
    method: str,
    inspector_ids: list[int],
    start: dt.datetime,
    end: dt.datetime,
) -> dict[str, Any]:
    from audit.domain.plans import services as plans
    from audit.domain.plans.schemas import PlanIn

    data = PlanIn(
        name=f"整改复查 F-{item['id']}"[:200],
        description=f"Verification of finding {item['id']} (notice {item['notice_id']})",
        operator_id=item["operator_id"],
        method=method,  # type: ignore[arg-type]
        sampling="targeted",
        venue_ids=[item["venue_id"]],
        checklist_version_ids=[item["checklist_version_id"]],
        inspector_ids=inspector_ids,
        window_start=start,
        window_end=end,
    )
    from audit.domain.portal.review import DRAFTER

    plan = await plans.create_plan(data, DRAFTER)  # drafted from the data, approved by a person
    await plans.transition(plan["id"], "approve", actor)
    return await plans.transition(plan["id"], "activate", actor)


async def _original_inspectors(item: dict[str, Any]) -> list[int]:
    from audit.domain.plans.access import inspector_ids

    return list(await inspector_ids(item["plan_id"])) if item["plan_id"] else []


async def start(
    item_id: int,
    actor: Actor,
    *,
    margin: float | None = None,
    window_days: float | None = None,
    inspector_ids: list[int] | None = None,
) -> dict[str, Any]:
    """rectification_reported → verifying: the re-probe campaign or the re-inspection task."""
    if not matrix.can(actor.role, "portal.decide"):
        raise Forbidden(f"role {actor.role!r} may not start verification")
    item = await items.load(item_id)
    if item["state"] != "rectification_reported":
        raise InvalidTransition(
            f"finding {item_id} is {item['state']}; verification starts after a reported "
            "rectification",
            field="state",
        )
    spec = plan_for(item, margin, window_days)
    now = clock.now()
    end = now + dt.timedelta(days=spec["window_days"])
    inspectors = inspector_ids if inspector_ids is not None else await _original_inspectors(item)
    if spec["kind"] == "reprobe":
        plan = await _plan(item, actor, "covert", inspectors[:1] or inspectors, now, end)
        campaign = await _campaign(item, spec, plan, actor, now, end)
        facts = {"plan_id": plan["id"], "campaign_id": campaign["id"]}
    else:
        if len(inspectors) < 2:
            raise DomainError(
                "a re-inspection needs two inspectors (seed 004 Art. 7)", field="inspector_ids"
            )
        plan = await _plan(item, actor, "open", inspectors[:2], now, end)
        facts = {"plan_id": plan["id"], "inspector_ids": inspectors[:2]}
    verification = {
        **spec,
        **facts,
        "status": "running",
        "started_at": now.isoformat(),
        "window_end": end.isoformat(),
        "started_by": actor.name,
    }
    async with write_tx():
        after = await items.move(
            item_id, "start_verification", actor, {FindingItem.verification: verification}
        )
        await Rectification.update({Rectification.status: "verifying"}).where(
            (Rectification.item == item_id) & (Rectification.status == "reported")
        )
    return after


async def _campaign(
    item: dict[str, Any],
    spec: dict[str, Any],
    plan: dict[str, Any],
    actor: Actor,
    now: dt.datetime,
    end: dt.datetime,
) -> dict[str, Any]:
    from audit.domain.campaigns import services as campaigns
    from audit.domain.campaigns.schemas import CampaignIn
    from audit.domain.probing.telephony import caller_ids

    data = CampaignIn.model_validate(
        {
            "plan_id": plan["id"],
            "name": f"整改复查 F-{item['id']}",
            "probe_kind": spec["probe_kind"],
            "targets": [{"venue_id": item["venue_id"]}],
            "schedule": {
                "windows": [{"kind": "fixed", "start": now.isoformat(), "end": end.isoformat()}],
                "runs_per_target": spec["sample_size"],
                "holiday_calendar": False,
                "caller_ids": list(caller_ids()) or None,
            },
        }
    )
    campaign = await campaigns.create_campaign(data, actor)
    # scheduled is enough: the campaigns' dispatcher starts it when its first run is due
    return await campaigns.transition(campaign["id"], "schedule", actor)


# ---- judging the outcome ------------------------------------------------------------------


async def _judge_reprobe(item: dict[str, Any], v: dict[str, Any]) -> dict[str, Any] | None:
    from audit.domain.campaigns import services as campaigns
    from audit.domain.inspections.services import judge
    from audit.domain.plans.checklist_versions import pinned_checklist
    from audit.domain.probing.access import load_run

    campaign = await campaigns.get_campaign(v["campaign_id"], VERIFIER)
    if campaign["status"] not in ("completed", "canceled"):
        return None
    checklist = await pinned_checklist(item["checklist_version_id"])
    definition = checklist.item(item["item_code"])
    runs = await campaigns.list_runs(v["campaign_id"], VERIFIER)
    verdicts: list[dict[str, Any]] = []
    for run in runs:
        if run["probe_run_id"] is None:
            continue
        probe = await load_run(run["probe_run_id"])
        verdict = "na"
        if definition is not None and probe["measures"]:
            try:
                verdict = judge(definition, probe["measures"])
            except DomainError:
                verdict = "na"  # the run cannot judge this item (e.g. nobody answered)
        verdicts.append(
            {
                "campaign_run_id": run["id"],
                "probe_run_id": probe["id"],
                "verdict": verdict,
                "evidence_ids": probe["evidence_ids"],
            }
        )
    judged = [x for x in verdicts if x["verdict"] != "na"]
    passed = sum(1 for x in judged if x["verdict"] == "pass")
    low, high = wilson_interval(passed, len(judged), v["confidence"]) if judged else (0.0, 1.0)
    needed = max(1, math.ceil(v["sample_size"] / 2))
    rate = passed / len(judged) if judged else None
    outcome = (
        "inconclusive"
        if len(judged) < needed
        else "passed"
        if rate is not None and rate >= v["pass_rate"]
        else "failed"
    )
    return {
        "outcome": outcome,
        "runs": verdicts,
        "judged": len(judged),
        "passed_runs": passed,
        "rate": rate,
        "interval": [low, high],
        "passed": outcome == "passed",
    }


async def _judge_reinspection(item: dict[str, Any], v: dict[str, Any]) -> dict[str, Any] | None:
    from audit.domain.inspections.tables import Inspection, ItemResult

    done = (
        await Inspection.select(Inspection.id)
        .where(
            (Inspection.plan == v["plan_id"])
            & (Inspection.venue == item["venue_id"])
            & (Inspection.status == "submitted")
        )
        .order_by(Inspection.id)
    )
    if not done:
        return None
    inspection_id = done[-1]["id"]
    answer = (
        await ItemResult.select(ItemResult.result)
        .where((ItemResult.inspection == inspection_id) & (ItemResult.item_id == item["item_code"]))
        .first()
    )
    result = answer["result"] if answer else "na"
    outcome = {"pass": "passed", "fail": "failed"}.get(result, "inconclusive")
    return {"outcome": outcome, "inspection_id": inspection_id, "passed": outcome == "passed"}


async def evaluate(item_id: int) -> str:
    """Settle one verifying item if its campaign or re-inspection is done; returns the outcome
    (or "running")."""
    item = await items.load(item_id)
    v = item.get("verification") or {}
    if item["state"] != "verifying" or v.get("status") != "running":
        return "not verifying"
    judged = await (
        _judge_reprobe(item, v) if v["kind"] == "reprobe" else _judge_reinspection(item, v)
    )
    if judged is None:
        return "running"
    v = {**v, "status": "done", "result": judged, "finished_at": clock.now().isoformat()}
    outcome = judged["outcome"]
    if outcome == "passed":
        from audit.domain.portal.review import close_item

        await items.update_fields(
            item_id, VERIFIER, "verification_result", {FindingItem.verification: v}
        )
        await close_item(
            item_id,
            VERIFIER,
            "复查合格 / verification passed",
            basis=v["kind"],
            action="verification_passed",
        )
    else:
        action = "verification_failed" if outcome == "failed" else "verification_inconclusive"
        async with write_tx():
            after = await items.move(
                item_id, action, VERIFIER, {FindingItem.verification: v}, {"outcome": outcome}
            )
            status = "rejected" if outcome == "failed" else "reported"
            await Rectification.update({Rectification.status: status}).where(
                (Rectification.item == item_id) & (Rectification.status == "verifying")
            )
            if outcome == "failed":
                await notify.reopened(after)
    log.info("verification settled", finding=item_id, outcome=outcome)
    return outcome


async def evaluate_all() -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in await items.list_items(states_in=["verifying"]):
        outcome = await evaluate(item["id"])
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
