"""Probing fixtures: the app served over real HTTP, the Twilio simulator in front of it, and
an active hotline plan with an open inspection.

The simulator signs webhooks for the app's *public* URL (AUDIT_PUBLIC_BASE_URL,
https://testserver.local in tests) and delivers them to the uvicorn port, as a reverse proxy
would; the app reaches the simulator only through the twilio SDK.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from probing_support import (
    ACCOUNT_SID,
    AFTERNOON,
    AUTH_TOKEN,
    CALLER,
    Live,
    sim_config,
)

from probes.channels.voice.twilio import TwilioAccount
from probes.twilio_sim import load_demo_scenarios, parse_scenarios
from probes.twilio_sim import start_simulator as _start_simulator


@pytest.fixture(scope="module")
def served_app() -> Iterator[str]:
    """The app on a free port, one per test module (each test still gets a fresh database
    from ``db``: the app opens a connection per query, so it sees the reset database)."""
    from audit.core import build_app

    server = uvicorn.Server(
        uvicorn.Config(build_app(), host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "app did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def sim_clock(request: pytest.FixtureRequest) -> dt.datetime:
    """Simulated start time; parametrize indirectly to place calls at another moment."""
    return getattr(request, "param", AFTERNOON)


@pytest.fixture
def extra_scenarios() -> dict[str, Any]:
    """Numbers to add to the demo scenarios (override in a test module)."""
    return {}


@pytest.fixture
async def live(
    served_app: str, cast: Any, sim_clock: dt.datetime, extra_scenarios: dict[str, Any]
) -> AsyncIterator[Live]:
    from audit.domain.probing.telephony import use_account

    demo = load_demo_scenarios()
    scenarios = parse_scenarios(
        {
            **demo.model_dump(exclude_none=True),
            "numbers": {**demo.model_dump(exclude_none=True)["numbers"], **extra_scenarios},
        }
    )
    config = sim_config(served_app, clock_start=sim_clock, scenarios=scenarios)
    with _start_simulator(config) as sim:
        use_account(TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, sim.base_url), (CALLER,))
        try:
            async with httpx.AsyncClient(base_url=served_app, timeout=30) as http:
                yield Live(served_app, http, sim, cast)
        finally:
            use_account(None)


@pytest.fixture
async def hotline(live: Live) -> dict[str, Any]:
    """An active covert plan on operator A's hotline (+861055550101) with the shipped hotline
    checklist, and an open inspection of that hotline by inspector1 (through the API)."""
    from audit.context import SYSTEM
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.operators.tables import Venue
    from audit.domain.plans.checklist_versions import import_checklist
    from checklists.loader import CHECKLIST_DIR, load_all

    cast = live.cast
    venue = await create_venue(
        cast.operator_a["id"], VenueIn(kind="hotline", name="示例热线", region="330100"), SYSTEM
    )
    await Venue.update({Venue.phones: ["+861055550101"], Venue.company_name: "示例电信"}).where(
        Venue._meta.primary_key == venue["id"]
    )
    version, _ = await import_checklist(load_all(CHECKLIST_DIR)["hotline"], SYSTEM)
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    body = {
        "name": "2026 热线暗访",
        "operator_id": cast.operator_a["id"],
        "method": "covert",
        "sampling": "targeted",
        "venue_ids": [venue["id"]],
        "checklist_version_ids": [version["id"]],
        "inspector_ids": [cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]],
        "window_start": start.isoformat(),
        "window_end": (start + dt.timedelta(days=30)).isoformat(),
    }
    r = await live.http.post("/plans", json=body, headers=live.headers("admin"))
    assert r.status_code == 201, r.text
    plan = r.json()
    for action in ("approve", "activate"):
        r = await live.http.post(
            f"/plans/{plan['id']}/{action}", headers=live.headers("supervisor")
        )
        assert r.status_code == 200, r.text
    r = await live.http.post(
        f"/plans/{plan['id']}/inspections", json={"venue_id": venue["id"]},
        headers=live.headers("inspector1"),
    )  # fmt: skip
    assert r.status_code == 201, r.text
    return {"plan": plan, "venue_id": venue["id"], "inspection": r.json()}
