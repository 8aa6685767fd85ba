"""Webhooks that never arrive: the run stays dialing until someone asks Twilio's REST API
(reconcile), which then finishes it from the call resource and the recording list."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from probing_support import Live


@pytest.fixture
def extra_scenarios() -> dict[str, Any]:
    return {
        "+861055550401": {
            "answer_after_rings": 2,
            "callbacks": {"lost": True},
            "utterances": [{"text": "您好,示例电信客服中心,请问有什么可以帮您?", "then_wait_s": 5}]
            * 3,
        }
    }


async def test_reconcile_after_lost_webhooks(live: Live, hotline: dict[str, Any]) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550401")
    await asyncio.to_thread(live.sim.simulator.wait_call, run["provider_ref"])
    run = await live.finished(run)
    assert run["status"] == "dialing" and live.sim.simulator.callbacks == []
    r = await live.http.post(f"/probe-runs/{run['id']}/reconcile", headers=live.headers())
    assert r.status_code == 200, r.text
    run = r.json()
    assert run["status"] == "completed"
    assert run["measures"]["outcome"] == "answered"
    assert run["measures"]["silent_call"]["verdict"] == "pass"
    assert len(run["evidence_ids"]) == 1
