"""Through the real pipeline: a transient Twilio error (429) is retried and then succeeds, a
permanent one (21214 unreachable) fails at once, and no-answer/busy are never retried."""

import json
from typing import Any

from campaign_live import LiveApp, campaign_body, set_phones, wait_until_finished

from audit.domain.campaigns.tables import CampaignRun, CampaignTarget
from audit.domain.probing.tables import ProbeRun


async def run_campaign(live: LiveApp, setup: dict[str, Any], *numbers: str) -> dict[str, Any]:
    await set_phones(setup, *numbers)
    h = live.headers()
    r = await live.http.post("/campaigns", json=campaign_body(setup, runs=1), headers=h)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = await live.http.post(
        f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
    )
    assert r.status_code == 200, r.text
    progress = await wait_until_finished(live, cid)
    targets = {t["id"]: t["number"] for t in await CampaignTarget.select()}
    runs = await CampaignRun.select().where(CampaignRun.campaign == cid)
    out: dict[str, Any] = {"progress": progress}
    for run in runs:
        probes = await ProbeRun.select(ProbeRun.id).where(ProbeRun.campaign_run_id == run["id"])
        out[targets[run["target"]]] = {**run, "probe_runs": len(probes)}
    return out


async def test_probe_errors_retry_only_when_transient(
    live_app: LiveApp, plan_setup: dict[str, Any]
) -> None:
    # +861055550112: Twilio answers the first create-call with 429 (20429), then compliant.
    # +861055550113: 21214 "number cannot be reached" every time (permanent).
    got = await run_campaign(live_app, plan_setup, "+861055550112", "+861055550113")
    transient, permanent = got["+861055550112"], got["+861055550113"]
    assert (transient["status"], transient["outcome"]) == ("done", "answered")
    # two tries; the result is the answer, the 429 stays in the history only
    assert (transient["attempts"], transient["error_code"], transient["probe_runs"]) == (
        2,
        None,
        2,
    )
    history = transient["history"]
    history = json.loads(history) if isinstance(history, str) else history
    assert [h["code"] for h in history] == [20429]
    assert (permanent["status"], permanent["outcome"]) == ("failed", "failed")
    assert (permanent["attempts"], permanent["error_code"], permanent["probe_runs"]) == (
        1,
        21214,
        1,
    )
    p = got["progress"]
    assert (p["done"], p["failed"], p["attempts"], p["answered"]) == (1, 1, 1, 1)


async def test_no_answer_and_busy_are_results(
    live_app: LiveApp, plan_setup: dict[str, Any]
) -> None:
    got = await run_campaign(live_app, plan_setup, "+861055550107", "+861055550106")
    for number, outcome in (("+861055550107", "no_answer"), ("+861055550106", "busy")):
        run = got[number]
        assert (run["status"], run["outcome"], run["attempts"], run["probe_runs"]) == (
            "done",
            outcome,
            1,
            1,
        )
    assert got["progress"]["answer_rate"] == 0.0
