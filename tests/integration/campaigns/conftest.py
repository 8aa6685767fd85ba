"""Fixtures for campaign tests: a rate limiter on the real Redis or in-process."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from redis.asyncio import Redis

from audit.jobs.ratelimit import LocalRateLimiter, RateLimiter, RateLimits, RedisRateLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"

LimiterFactory = Callable[[RateLimits], RateLimiter]


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix unique to the test; its keys are deleted afterwards."""
    prefix = f"test:campaigns:{uuid.uuid4().hex}"
    yield prefix
    client = Redis.from_url(REDIS_URL)
    keys = [k async for k in client.scan_iter(match=f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture(params=["local", pytest.param("redis", marks=pytest.mark.redis)])
async def make_limiter(
    request: pytest.FixtureRequest, redis_prefix: str
) -> AsyncIterator[LimiterFactory]:
    """Build limiters of one kind; for Redis each call is a separate client, like a worker."""
    clients: list[Redis] = []
    shared: dict[RateLimits, LocalRateLimiter] = {}

    def make(limits: RateLimits) -> RateLimiter:
        if request.param == "local":
            # In-process: every "worker" of the embedded mode shares the one limiter.
            return shared.setdefault(limits, LocalRateLimiter(limits))
        client = Redis.from_url(REDIS_URL)
        clients.append(client)
        return RedisRateLimiter(client, limits, prefix=redis_prefix)

    yield make
    for client in clients:
        await client.aclose()


# ---- a plan with two hotlines of operator A -------------------------------------------------


@pytest.fixture
async def plan_setup(cast: Any) -> dict[str, Any]:
    """A covert plan on operator A with two hotline venues (direct inserts into real tables)."""
    import datetime as dt

    from audit.domain.operators.tables import Venue
    from audit.domain.plans.tables import AuditPlan, PlanInspector

    # A window around today: campaigns schedule their runs from now on, inside it.
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=30)
    plan = (
        await AuditPlan.insert(
            AuditPlan(
                name="热线暗访",
                operator=cast.operator_a["id"],
                method="covert",
                sampling="comprehensive",
                window_start=start,
                window_end=start + dt.timedelta(days=365),
                status="active",
            )
        )
        .returning(AuditPlan.id)
        .run()
    )[0]["id"]
    await PlanInspector.insert(PlanInspector(plan=plan, inspector=cast.users["inspector1"]["id"]))
    venues = []
    for name, phone in (("客服热线", "+8657110001"), ("投诉热线", "+8657110002")):
        rows = (
            await Venue.insert(
                Venue(
                    operator=cast.operator_a["id"],
                    kind="hotline",
                    name=name,
                    phones=[phone],
                    company_name="甲通信",
                )
            )
            .returning(Venue.id)
            .run()
        )
        venues.append(rows[0]["id"])
    other = (
        await Venue.insert(
            Venue(
                operator=cast.operator_b["id"],
                kind="hotline",
                name="乙热线",
                phones=["+8657120001"],
            )
        )
        .returning(Venue.id)
        .run()
    )[0]["id"]
    from campaign_live import add_to_plan

    await add_to_plan(plan, venues)
    return {"plan_id": plan, "venues": venues, "other_venue": other, "cast": cast}


@pytest.fixture
def running_campaign() -> Callable[..., Any]:
    """``await running_campaign(plan_setup, runs=5)``: a started campaign whose runs are all
    due (a fixed window that closed 10 s ago); returns its id."""

    async def make(setup: dict[str, Any], runs: int = 5, max_attempts: int = 3) -> int:
        import datetime as dt

        from audit.domain.campaigns import services
        from audit.domain.campaigns.schemas import CampaignIn

        start = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)
        data = CampaignIn.model_validate(
            {
                "plan_id": setup["plan_id"],
                "name": "due now",
                "targets": [{"venue_id": v} for v in setup["venues"]],
                "max_attempts": max_attempts,
                "schedule": {
                    "windows": [
                        {
                            "kind": "fixed",
                            "start": start.isoformat(),
                            "end": (start + dt.timedelta(seconds=20)).isoformat(),
                        }
                    ],
                    "runs_per_target": runs,
                    "holiday_calendar": False,
                    "caller_ids": ["+8613900000001"],
                    "seed": 3,
                },
            }
        )
        actor = setup["cast"].actor("inspector1")
        c = await services.create_campaign(data, actor)
        await services.transition(c["id"], "schedule", actor)
        await services.transition(c["id"], "start", actor)
        return int(c["id"])

    return make


# ---- the app over real HTTP with the Twilio simulator in front (embedded jobs) -------------

from campaign_live import CALLER, PUBLIC, SIM_ACCOUNT, SIM_TOKEN, LiveApp  # noqa: E402


@pytest.fixture
def fast_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Rate limits loose enough for tests (the defaults are Twilio's 1 call per second)."""
    from audit.jobs.config import get_job_settings
    from audit.jobs.limiter import reset_limiter

    monkeypatch.setenv("AUDIT_CALLS_PER_SECOND", "50")
    monkeypatch.setenv("AUDIT_PER_TARGET_CONCURRENT_CALLS", "1")
    monkeypatch.setenv("AUDIT_RESULT_POLL_S", "0.2")
    get_job_settings.cache_clear()
    reset_limiter()
    yield
    get_job_settings.cache_clear()
    reset_limiter()


@pytest.fixture
def served_app(db: str, fast_jobs: None) -> Iterator[str]:
    """The real app on a free port (uvicorn, lifespan on: the embedded job scheduler runs)."""
    import threading
    import time

    import uvicorn

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
async def live_app(served_app: str, cast: Any) -> AsyncIterator[LiveApp]:
    import httpx

    from audit.domain.probing.telephony import use_account
    from probes.channels.voice.twilio import TwilioAccount
    from probes.twilio_sim import SimulatorConfig, load_demo_scenarios, start_simulator

    config = SimulatorConfig(
        account_sid=SIM_ACCOUNT,
        auth_token=SIM_TOKEN,
        scenarios=load_demo_scenarios(),
        time_scale=0.0005,
        webhook_proxy={PUBLIC: served_app},
    )
    with start_simulator(config) as sim:
        use_account(TwilioAccount(SIM_ACCOUNT, SIM_TOKEN, sim.base_url), (CALLER,))
        try:
            async with httpx.AsyncClient(base_url=served_app, timeout=30) as http:
                yield LiveApp(served_app, http, sim, cast)
        finally:
            use_account(None)
