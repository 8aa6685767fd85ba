"""Pausing a running campaign stops new runs (running ones finish); resuming completes it."""

import asyncio
import time
from typing import Any

from campaign_live import LiveApp, campaign_body, set_phones, wait_until_finished

from audit.domain.probing.tables import ProbeRun


async def progress(live: LiveApp, cid: int) -> dict[str, Any]:
    r = await live.http.get(f"/campaigns/{cid}/progress", headers=live.headers())
    assert r.status_code == 200, r.text
    return dict(r.json())


async def act(live: LiveApp, cid: int, action: str) -> dict[str, Any]:
    r = await live.http.post(
        f"/campaigns/{cid}/transitions", json={"action": action}, headers=live.headers()
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_pause_then_resume(live_app: LiveApp, plan_setup: dict[str, Any]) -> None:
    await set_phones(plan_setup, "+861055550101", "+861055550109")
    body = campaign_body(plan_setup, runs=3, seconds=8)
    body["schedule"]["min_spacing_s"] = 2
    r = await live_app.http.post("/campaigns", json=body, headers=live_app.headers())
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    await act(live_app, cid, "schedule")

    deadline = time.monotonic() + 30
    while (await progress(live_app, cid))["done"] == 0:
        assert time.monotonic() < deadline, "no run finished"
        await asyncio.sleep(0.05)
    assert (await act(live_app, cid, "pause"))["status"] == "paused"
    # Whatever was already running finishes; nothing new starts.
    while True:
        p = await progress(live_app, cid)
        if p["running"] == 0:
            break
        await asyncio.sleep(0.05)
    assert p["queued"] == 0 and p["planned"] > 0, p
    probes_at_pause = await ProbeRun.count()
    await asyncio.sleep(9)  # past every planned time (window 8 s)
    still = await progress(live_app, cid)
    assert (still["status"], still["done"], still["planned"]) == ("paused", p["done"], p["planned"])
    assert await ProbeRun.count() == probes_at_pause

    assert (await act(live_app, cid, "resume"))["status"] == "running"
    final = await wait_until_finished(live_app, cid)
    assert (final["status"], final["done"], final["failed"]) == ("completed", 6, 0)
    assert await ProbeRun.count() == 6
