"""A chat-script campaign runs end to end embedded: the app's job scheduler dispatches one
chat per run, each drives real headless Chromium against the demo chat site, and the
campaign counts a chat the agent answered as answered (time to answer = first response) and
a chat page that never opened as not answered."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_live import LiveApp, add_to_plan, campaign_body, wait_until_finished

from audit.domain.campaigns.tables import CampaignRun
from audit.domain.operators.schemas import VenueIn
from audit.domain.operators.services import create_venue
from audit.domain.probing.tables import ProbeRun
from probes.chat_demo import DemoChatSite
from tests.e2e.chat.conftest import profile_for

pytestmark = pytest.mark.browser


async def _chat_venue(setup: dict[str, Any], site: DemoChatSite, name: str, **query: Any) -> int:
    cast = setup["cast"]
    profile = profile_for(site, **query).model_dump(mode="json", exclude_none=True)
    data = VenueIn(kind="web_chat", name=name, profile=profile)
    venue = await create_venue(cast.operator_a["id"], data, cast.actor("admin"))
    await add_to_plan(setup["plan_id"], [int(venue["id"])])
    return int(venue["id"])


async def test_chat_campaign_end_to_end(live_app: LiveApp, plan_setup: dict[str, Any]) -> None:
    h = live_app.headers()
    with DemoChatSite() as site:
        good = await _chat_venue(plan_setup, site, "在线客服", scenario="compliant", delay=0.5)
        dead = await _chat_venue(plan_setup, site, "坏客服", scenario="never_opens")
        setup = dict(plan_setup, venues=[good, dead])
        body = campaign_body(setup, runs=1, probe_kind="chat_script", script_id="ask-tariff")
        r = await live_app.http.post("/campaigns", json=body, headers=h)
        assert r.status_code == 201, r.text
        cid = r.json()["id"]
        assert r.json()["script_id"] == "ask-tariff"
        r = await live_app.http.post(
            f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
        )
        assert r.status_code == 200, r.text
        progress = await wait_until_finished(live_app, cid, timeout=120)

    assert (progress["total"], progress["done"], progress["failed"]) == (2, 2, 0), progress
    assert (progress["answered"], progress["attempts"]) == (1, 2)
    runs = {r["target"]: r for r in await CampaignRun.select().where(CampaignRun.campaign == cid)}
    probes = await ProbeRun.select().where(
        ProbeRun.campaign_run_id.is_in([r["id"] for r in runs.values()])
    )
    assert {p["kind"] for p in probes} == {"chat"} and len(probes) == 2
    by_outcome = {r["outcome"]: r for r in runs.values()}
    answered, unanswered = by_outcome["answered"], by_outcome["no_answer"]
    # the demo agent's delay, as measured (its accuracy under load is bench/chat_timing.py's)
    assert 0.5 <= answered["answer_seconds"] < 2.0
    assert answered["greeting_verdict"] in ("pass", "fail")
    assert unanswered["answer_seconds"] is None and unanswered["rang"] == "false"

    r = await live_app.http.get(f"/campaigns/{cid}/statistics", headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["campaign"]["answer_rate"]["rate"] == 0.5


async def test_chat_campaign_rejects_hotlines_and_unknown_scripts(
    live_app: LiveApp, plan_setup: dict[str, Any]
) -> None:
    h = live_app.headers()
    body = campaign_body(plan_setup, runs=1, probe_kind="chat_script")
    r = await live_app.http.post("/campaigns", json=body, headers=h)
    assert r.status_code == 400 and "targets[0].venue_id" in r.text, r.text
    with DemoChatSite() as site:
        chat = await _chat_venue(plan_setup, site, "在线客服", scenario="compliant")
    setup = dict(plan_setup, venues=[chat])
    body = campaign_body(setup, runs=1, probe_kind="chat_script", script_id="no-such-script")
    r = await live_app.http.post("/campaigns", json=body, headers=h)
    assert r.status_code == 400 and "script_id" in r.text, r.text
    body = campaign_body(plan_setup, runs=1, script_id="ask-tariff")  # a voice campaign
    r = await live_app.http.post("/campaigns", json=body, headers=h)
    assert r.status_code == 400 and "script_id" in r.text, r.text
