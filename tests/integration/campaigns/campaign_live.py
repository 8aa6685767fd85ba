"""Helpers for campaign tests over real HTTP (named apart from conftest: several test
directories have a conftest module, and only fixtures belong there)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SIM_ACCOUNT = "AC" + "6" * 32
SIM_TOKEN = "8" * 32
CALLER = "+861055550000"
PUBLIC = "https://testserver.local"


@dataclass
class LiveApp:
    base_url: str
    http: Any  # httpx.AsyncClient on the served app
    sim: Any  # RunningSimulator
    cast: Any

    def headers(self, who: str = "inspector1") -> dict[str, str]:
        return dict(self.cast.headers(who))


async def add_to_plan(plan_id: int, venue_ids: list[int]) -> None:
    """Put venues in the plan's scope and sample (a campaign probes only those)."""
    from audit.domain.plans.tables import PlanVenue

    start = await PlanVenue.count().where(PlanVenue.plan == plan_id)
    await PlanVenue.insert(
        *[
            PlanVenue(plan=plan_id, venue=v, in_sample=True, position=start + i)
            for i, v in enumerate(venue_ids)
        ]
    )


async def set_phones(setup: dict[str, Any], *numbers: str) -> None:
    """Point the plan's venues at demo-scenario numbers (probes/scenarios/demo.yaml)."""
    from audit.domain.operators.tables import Venue

    for venue_id, number in zip(setup["venues"], numbers, strict=True):
        await Venue.update({Venue.phones: [number]}).where(Venue._meta.primary_key == venue_id)


def campaign_body(
    setup: dict[str, Any], runs: int, seconds: float = 2.0, **kw: Any
) -> dict[str, Any]:
    import datetime as dt

    start = dt.datetime.now(dt.UTC)
    return {
        "plan_id": setup["plan_id"],
        "name": "热线暗访",
        "targets": [{"venue_id": v} for v in setup["venues"]],
        "retry_delay_s": 0,
        "listen_s": 40,
        "schedule": {
            "windows": [
                {
                    "kind": "fixed",
                    "start": start.isoformat(),
                    "end": (start + dt.timedelta(seconds=seconds)).isoformat(),
                }
            ],
            "runs_per_target": runs,
            "holiday_calendar": False,
            "caller_ids": ["+861055550000"],
            "seed": 11,
        },
        **kw,
    }


async def wait_until_finished(
    live: LiveApp, campaign_id: int, timeout: float = 60
) -> dict[str, Any]:
    """Poll the API's progress until the campaign is completed or canceled."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while True:
        r = await live.http.get(f"/campaigns/{campaign_id}/progress", headers=live.headers())
        assert r.status_code == 200, r.text
        progress = dict(r.json())
        if progress["status"] in ("completed", "canceled"):
            return progress
        assert time.monotonic() < deadline, f"campaign not finished: {progress}"
        await asyncio.sleep(0.2)
