"""An SMS campaign end to end on the Twilio simulator (issue 19 step 5): the embedded job
scheduler runs the campaign, probing sends real SDK ``messages.create`` requests, the signed
status callbacks and the service numbers' replies (inbound-message webhook) come back over
HTTP, the ``probing.finish`` job reads the message resources for the provider's times and
judges the replies with the SMS checklist's patterns; the campaign counts answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from campaign_live import (
    CALLER,
    PUBLIC,
    SIM_ACCOUNT,
    SIM_TOKEN,
    LiveApp,
    campaign_body,
    set_phones,
    wait_until_finished,
)

from audit.domain.campaigns.tables import CampaignRun
from audit.domain.probing.tables import ProbeRun
from probes.twilio_sim import SimulatorConfig, load_demo_scenarios, parse_scenarios, start_simulator

GOOD, PUSHY, DEAD = "+861055550301", "+861055550302", "+861055550303"
SCENARIOS = {
    GOOD: {"sms": {"replies": [{"text": "【甲通信】尊敬的客户,您的账户余额为35.20元。",
                               "after_s": 4}]}},
    PUSHY: {"sms": {"replies": [{"text": "您的余额为8元。限时优惠:流量包5元1GB,回复1办理。",
                                "after_s": 90}]}},
    DEAD: {"sms": {"delivery": "undelivered"}},
}  # fmt: skip


@pytest.fixture
async def sms_app(served_app: str, cast: Any) -> AsyncIterator[LiveApp]:
    from audit.domain.probing.telephony import use_account
    from probes.channels.twilio_shared import TwilioAccount

    demo = load_demo_scenarios().model_dump(exclude_none=True)
    scenarios = parse_scenarios({**demo, "numbers": {**demo["numbers"], **SCENARIOS}})
    config = SimulatorConfig(
        account_sid=SIM_ACCOUNT,
        auth_token=SIM_TOKEN,
        scenarios=scenarios,
        time_scale=0.0005,
        webhook_proxy={PUBLIC: served_app},
        sms_url=f"{PUBLIC}/webhooks/twilio/sms/inbound",
    )
    with start_simulator(config) as sim:
        use_account(TwilioAccount(SIM_ACCOUNT, SIM_TOKEN, sim.base_url), (CALLER,))
        try:
            async with httpx.AsyncClient(base_url=served_app, timeout=30) as http:
                yield LiveApp(served_app, http, sim, cast)
        finally:
            use_account(None)


async def test_sms_campaign_end_to_end(sms_app: LiveApp, plan_setup: dict[str, Any]) -> None:
    await set_phones(plan_setup, GOOD, PUSHY)
    h = sms_app.headers()
    body = campaign_body(plan_setup, runs=1, probe_kind="sms_query")
    r = await sms_app.http.post("/campaigns", json=body, headers=h)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = await sms_app.http.post(
        f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
    )
    assert r.status_code == 200, r.text
    progress = await wait_until_finished(sms_app, cid)
    assert (progress["status"], progress["total"], progress["done"], progress["failed"]) == (
        "completed", 2, 2, 0,
    )  # fmt: skip
    assert (progress["answered"], progress["attempts"]) == (2, 2)

    runs = {r["probe_run_id"]: r for r in await CampaignRun.select().where(
        CampaignRun.campaign == cid)}  # fmt: skip
    probes = {p["target"]: p for p in await ProbeRun.select().where(ProbeRun.id.is_in(list(runs)))}
    assert {p["kind"] for p in probes.values()} == {"sms"}
    good, pushy = probes[GOOD], probes[PUSHY]
    assert (good["status"], good["outcome"], pushy["outcome"]) == (
        "completed",
        "replied",
        "replied",
    )

    def sms(run: dict[str, Any]) -> dict[str, Any]:
        import json

        m = run["measures"]
        return dict((json.loads(m) if isinstance(m, str) else m)["sms"])

    g, p = sms(good), sms(pushy)
    # time to reply in the provider's (simulated) clock: delivered at +2 s, reply 4 s later
    assert (g["delivered"], g["reply_received"], g["reply_seconds"]) == (True, True, 5.0)
    assert g["reply"] == {"balance": True, "operator_named": True, "marketing": False,
                          "opt_out": False}  # fmt: skip
    assert p["reply_seconds"] == 91.0
    assert p["reply"] == {"balance": True, "operator_named": False, "marketing": True,
                          "opt_out": False}  # fmt: skip
    answers = {r["probe_run_id"]: r["answer_seconds"] for r in runs.values()}
    assert answers == {good["id"]: 5.0, pushy["id"]: 91.0}
    assert {r["outcome"] for r in runs.values()} == {"answered"}


async def test_undelivered_sms_is_the_operators_no_answer(
    sms_app: LiveApp, plan_setup: dict[str, Any]
) -> None:
    await set_phones(plan_setup, DEAD, GOOD)
    h = sms_app.headers()
    body = campaign_body(plan_setup, runs=1, probe_kind="sms_query")
    r = await sms_app.http.post("/campaigns", json=body, headers=h)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = await sms_app.http.post(
        f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
    )
    assert r.status_code == 200, r.text
    progress = await wait_until_finished(sms_app, cid)
    assert (progress["done"], progress["failed"], progress["answered"]) == (2, 0, 1)
    dead = await ProbeRun.select().where(ProbeRun.target == DEAD).first()
    assert dead is not None and (dead["status"], dead["outcome"]) == ("completed", "undelivered")
    row = await CampaignRun.select().where(CampaignRun.probe_run_id == dead["id"]).first()
    assert row is not None and (row["outcome"], row["rang"]) == ("no_answer", "false")
