"""Shared helpers of the probing integration tests (a unique module name: several test
directories have a ``conftest``, so tests must not import from it)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from probes.twilio_sim import RunningSimulator, SimulatorConfig, load_demo_scenarios

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "9" * 32
CALLER = "+861055550000"
PUBLIC = "https://testserver.local"
AFTERNOON = dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC)

logging.getLogger("twilio").setLevel(logging.WARNING)


@dataclass
class Live:
    base_url: str
    http: httpx.AsyncClient
    sim: RunningSimulator
    cast: Any

    def headers(self, who: str = "inspector1") -> dict[str, str]:
        return dict(self.cast.headers(who))

    async def start(self, who: str = "inspector1", **body: Any) -> dict[str, Any]:
        r = await self.http.post("/probe-runs", json=body, headers=self.headers(who))
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def finished(self, run: dict[str, Any], who: str = "inspector1") -> dict[str, Any]:
        """Wait until the simulated call's callbacks are all delivered and the run's finish
        job has stored results from all of its events, then read the run."""
        if run["provider_ref"]:
            await asyncio.to_thread(self.sim.simulator.wait_call, run["provider_ref"])
        await settled(run["id"])
        r = await self.http.get(f"/probe-runs/{run['id']}", headers=self.headers(who))
        assert r.status_code == 200, r.text
        return dict(r.json())


async def settled(run_id: int, timeout: float = 60.0) -> None:
    """Until no ``probing.finish`` job of the run is due: not analysing, and a finished run's
    results are from its latest event (the finish runs after the webhook has answered)."""
    from audit.domain.probing.tables import REFRESHABLE, ProbeRun

    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        row = (
            await ProbeRun.select(ProbeRun.status, ProbeRun.event_seq, ProbeRun.finished_seq)
            .where(ProbeRun.id == run_id)
            .first()
        )
        assert row is not None
        pending = row["status"] == "analysing" or (
            row["status"] in REFRESHABLE and row["finished_seq"] != row["event_seq"]
        )
        if not pending:
            return
        assert asyncio.get_running_loop().time() < deadline, f"run {run_id} never settled: {row}"
        await asyncio.sleep(0.02)


def sim_config(app_url: str, **overrides: Any) -> SimulatorConfig:
    values: dict[str, Any] = {
        "account_sid": ACCOUNT_SID,
        "auth_token": AUTH_TOKEN,
        "scenarios": load_demo_scenarios(),
        "time_scale": 0.0005,
        "webhook_proxy": {PUBLIC: app_url},
        # 14:00 in Beijing on an ordinary Tuesday: no morning or holiday greeting required.
        "clock_start": AFTERNOON,
    }
    values.update(overrides)
    return SimulatorConfig(**values)


async def item_results(live: Live, inspection_id: int) -> dict[str, str]:
    r = await live.http.get(f"/inspections/{inspection_id}", headers=live.headers("inspector1"))
    assert r.status_code == 200, r.text
    return {a["item_id"]: a["result"] for a in r.json()["answers"]}
