"""A campaign over two targets runs end to end in the embedded mode: the app's own job
scheduler dispatches the runs, probing places real SDK calls to the time-scaled Twilio
simulator, signed webhooks come back over HTTP, and the API reports the counts."""

from typing import Any

from campaign_live import LiveApp, campaign_body, set_phones, wait_until_finished

from audit.domain.campaigns.tables import CampaignRun
from audit.domain.probing.tables import ProbeRun


async def test_two_targets_end_to_end(live_app: LiveApp, plan_setup: dict[str, Any]) -> None:
    # +861055550101 answers compliantly after 2 rings; +861055550106 is busy.
    await set_phones(plan_setup, "+861055550101", "+861055550106")
    h = live_app.headers()
    r = await live_app.http.post("/campaigns", json=campaign_body(plan_setup, runs=2), headers=h)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = await live_app.http.post(
        f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
    )
    assert r.status_code == 200 and r.json()["status"] == "scheduled", r.text

    progress = await wait_until_finished(live_app, cid)
    assert progress["status"] == "completed"
    assert (progress["total"], progress["done"], progress["failed"]) == (4, 4, 0)
    assert (progress["answered"], progress["attempts"], progress["answer_rate"]) == (2, 4, 0.5)

    # Exactly one probe run per campaign run, linked both ways.
    runs = await CampaignRun.select().where(CampaignRun.campaign == cid)
    probes = await ProbeRun.select(ProbeRun.id, ProbeRun.campaign_run_id, ProbeRun.caller_id)
    assert sorted(p["campaign_run_id"] for p in probes) == sorted(r["id"] for r in runs)
    assert {r["probe_run_id"] for r in runs} == {p["id"] for p in probes}

    r = await live_app.http.get(f"/campaigns/{cid}/statistics", headers=h)
    assert r.status_code == 200, r.text
    stats = r.json()
    by_number = {t["number"]: t for t in stats["targets"]}
    good, busy = by_number["+861055550101"], by_number["+861055550106"]
    assert (good["answered"], good["attempts"], good["busy"]) == (2, 2, 0)
    assert good["silent_call_compliance"]["count"] == 2
    assert good["service_level"]["count"] == 2  # answered after 2 rings = 10 s ≤ 15 s
    assert (busy["busy"], busy["answered"], busy["abandonment"]["count"]) == (2, 0, 0)
    assert all(r["rang"] == ("true" if r["outcome"] == "answered" else "false") for r in runs)
    assert stats["campaign"]["answer_rate"]["rate"] == 0.5
    # Wilson 95% for 2 of 4: (0.150, 0.850)
    assert round(stats["campaign"]["answer_rate"]["ci_low"], 3) == 0.150
    assert round(stats["campaign"]["answer_rate"]["ci_high"], 3) == 0.850
