"""When the provider's webhooks never arrive, the worker asks the provider for the call's
status and recording once the call should be over, and the run still gets its result."""

from typing import Any

import pytest
from campaign_live import PUBLIC, LiveApp, campaign_body, set_phones, wait_until_finished

from audit.domain.campaigns.tables import CampaignRun


@pytest.fixture
def quick_late_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from audit.jobs.config import get_job_settings

    monkeypatch.setenv("AUDIT_RESULT_TIMEOUT_S", "1")
    get_job_settings.cache_clear()


async def test_result_fetched_from_the_provider(
    quick_late_check: None, live_app: LiveApp, plan_setup: dict[str, Any]
) -> None:
    # Every callback goes to a closed port: the app never hears from "Twilio".
    live_app.sim.simulator.config.webhook_proxy = {PUBLIC: "http://127.0.0.1:9"}
    await set_phones(plan_setup, "+861055550101", "+861055550106")
    h = live_app.headers()
    r = await live_app.http.post("/campaigns", json=campaign_body(plan_setup, runs=1), headers=h)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = await live_app.http.post(
        f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
    )
    assert r.status_code == 200, r.text
    progress = await wait_until_finished(live_app, cid, timeout=90)
    assert (progress["done"], progress["answered"], progress["attempts"]) == (2, 1, 2)
    runs = await CampaignRun.select(CampaignRun.outcome, CampaignRun.answer_seconds)
    assert sorted(r["outcome"] for r in runs) == ["answered", "busy"]
