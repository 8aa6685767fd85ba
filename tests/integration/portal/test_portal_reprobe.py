"""The verification re-probe against the Twilio simulator: after the operator reports
rectification of a probe finding, a supervisor starts it; a covert targeted campaign calls the
same hotline (as many runs as the sample-size function asks for the margin) inside the window;
the portal's verification job judges the runs by the item's own rule and closes the finding
when the venue now behaves — or reopens it when it still fails — with the runs as evidence.
The operator sees only the outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import pytest

from tests.portal_world import PROBE_ITEM, build

COMPLIANT = "+861055550101"  # greets three times (probes/scenarios/demo.yaml)
STILL_FAILING = "+861055550102"  # one greeting, then hangs up


@pytest.fixture
def small_sample(monkeypatch: pytest.MonkeyPatch) -> Any:
    from audit.domain.portal.config import get_portal_settings

    # ±25 points around an expected 90 % compliance: 6 runs (campaigns.stats)
    monkeypatch.setenv("AUDIT_PORTAL_VERIFICATION_MARGIN", "0.25")
    get_portal_settings.cache_clear()
    yield
    get_portal_settings.cache_clear()


async def _settle(item_id: int, timeout: float = 180) -> str:
    """Run the verification job's pass until the finding is settled."""
    from audit.domain.portal import items, verification

    deadline = time.monotonic() + timeout
    while True:
        await verification.evaluate_all()  # what portal.verification runs periodically
        state = (await items.load(item_id))["state"]
        if state != "verifying":
            return state
        assert time.monotonic() < deadline, "verification did not finish"
        await asyncio.sleep(0.5)


async def _reported(cast: Any, phone_now: str) -> tuple[Any, dict[str, Any]]:
    from audit.domain.operators.tables import Venue
    from audit.domain.portal import operator_side

    world = await build(cast, phone=STILL_FAILING)
    probe = world.item(PROBE_ITEM)
    await operator_side.report_rectification(
        probe["id"], cast.actor("op_a"), "已培训坐席", dt.date.today()
    )
    await Venue.update({Venue.phones: [phone_now]}).where(Venue._meta.primary_key == world.venue_id)
    return world, probe


@pytest.mark.slow
async def test_compliant_venue_closes_the_finding(
    cast: Any, simulator: Any, small_sample: None
) -> None:
    from audit.domain.campaigns import services as campaigns
    from audit.domain.plans.access import load_plan
    from audit.domain.portal import items, verification, views

    world, probe = await _reported(cast, COMPLIANT)
    await verification.start(probe["id"], cast.actor("supervisor2"), window_days=10 / 86400)
    running = (await items.load(probe["id"]))["verification"]
    plan = await load_plan(running["plan_id"])
    assert plan["method"] == "covert" and plan["sampling"] == "targeted"
    assert [v["venue_id"] for v in plan["venues"]] == [world.venue_id]
    assert [c["id"] for c in plan["checklist_versions"]] == [probe["checklist_version_id"]]
    campaign = await campaigns.get_campaign(running["campaign_id"], cast.actor("supervisor"))
    assert campaign["spec"]["runs_per_target"] == running["sample_size"] == 6

    assert await _settle(probe["id"]) == "closed"
    item = await items.load(probe["id"])
    result = item["verification"]["result"]
    assert result["outcome"] == "passed" and result["judged"] == 6 == result["passed_runs"]
    assert all(r["verdict"] == "pass" and r["evidence_ids"] for r in result["runs"])
    seen = await views.get_finding(probe["id"], cast.actor("op_a"))
    assert seen["state"] == "closed" and "verification" not in seen
    assert not any("campaign" in str(h) or "+86" in str(h) for h in seen["history"])


@pytest.mark.slow
async def test_still_failing_venue_reopens_the_finding(
    mailed_cast: Any, simulator: Any, small_sample: None
) -> None:
    from audit.domain.delivery.outbox import list_deliveries
    from audit.domain.portal import items, verification

    cast = mailed_cast
    world, probe = await _reported(cast, STILL_FAILING)
    await verification.start(probe["id"], cast.actor("supervisor"), window_days=10 / 86400)
    assert await _settle(probe["id"]) == "reopened"
    item = await items.load(probe["id"])
    assert item["verification"]["result"]["outcome"] == "failed"
    assert item["verification"]["result"]["passed_runs"] == 0
    events = [d["event"] for d in await list_deliveries(operator_id=cast.operator_a["id"])]
    assert "finding.reopened" in events  # the operator is told
    assert item["state"] == "reopened" and world.notice["id"] == item["notice_id"]
