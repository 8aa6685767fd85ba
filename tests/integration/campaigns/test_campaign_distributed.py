"""Distributed mode on this machine's real Redis and PostgreSQL: two `audit worker` processes
and one `audit scheduler` run a campaign with the same counts as the embedded mode, and a
worker killed with SIGKILL mid-campaign loses and duplicates nothing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from campaign_live import (
    CALLER,
    SIM_ACCOUNT,
    SIM_TOKEN,
    LiveApp,
    campaign_body,
    set_phones,
    wait_until_finished,
)

from audit.domain.campaigns.tables import CampaignRun
from audit.domain.probing.tables import ProbeRun

pytestmark = [
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("AUDIT_TEST_DB", "sqlite") != "postgres",
        reason="distributed workers share PostgreSQL: runs in the PostgreSQL pass",
    ),
]
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def no_embedded_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The served app only answers the API and webhooks: the workers run the jobs."""
    from audit.jobs.config import get_job_settings

    monkeypatch.setenv("AUDIT_EMBEDDED_JOBS", "false")
    get_job_settings.cache_clear()


class Processes:
    """`audit worker`/`audit scheduler` subprocesses, each in its own process group."""

    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env = env
        self.logdir = logdir
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        name = "-".join(args)
        out = open(self.logdir / f"{name}-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "audit.jobs", *args],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def distributed(
    live_app: LiveApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Processes]:
    prefix = f"test:{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "AUDIT_BROKER_URL": REDIS_URL,
        "AUDIT_BROKER_QUEUE": f"{prefix}:jobs",
        "AUDIT_RATE_PREFIX": f"{prefix}:rate",
        "AUDIT_DB_POOL": "true",
        "AUDIT_TWILIO_ACCOUNT_SID": SIM_ACCOUNT,
        "AUDIT_TWILIO_AUTH_TOKEN": SIM_TOKEN,
        "AUDIT_TWILIO_API_BASE_URL": live_app.sim.base_url,
        "AUDIT_TWILIO_CALLER_IDS": json.dumps([CALLER]),
        "AUDIT_CALLS_PER_SECOND": "50",
        "AUDIT_HEARTBEAT_S": "0.5",
        "AUDIT_RESULT_POLL_S": "0.2",
        "AUDIT_STALE_AFTER_S": "3",
        "AUDIT_REQUEUE_AFTER_S": "3",
        "AUDIT_RECONCILE_INTERVAL_S": "1",
        "AUDIT_CALL_LEASE_S": "5",  # a killed worker's call slot frees after 5 s
        "PYTHONUNBUFFERED": "1",
    }
    procs = Processes(env, tmp_path)
    try:
        yield procs
    finally:
        procs.stop()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)


async def start_campaign(live: LiveApp, setup: dict[str, Any], runs: int, seconds: float) -> int:
    h = live.headers()
    r = await live.http.post(
        "/campaigns", json=campaign_body(setup, runs=runs, seconds=seconds), headers=h
    )
    assert r.status_code == 201, r.text
    cid = int(r.json()["id"])
    r = await live.http.post(
        f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
    )
    assert r.status_code == 200, r.text
    return cid


async def one_probe_per_run(campaign_id: int) -> None:
    runs = await CampaignRun.select().where(CampaignRun.campaign == campaign_id)
    probes = await ProbeRun.select(
        ProbeRun.id,
        ProbeRun.campaign_run_id,
        ProbeRun.status,
        ProbeRun.error_reason,
        ProbeRun.error_code,
    )
    assert sorted(p["campaign_run_id"] for p in probes) == sorted(r["id"] for r in runs), (
        probes,
        [(r["id"], r["history"], r["claimed_by"]) for r in runs],
    )
    assert sorted(p["campaign_run_id"] for p in probes) == sorted(r["id"] for r in runs)
    assert {p["status"] for p in probes} == {"completed"}


async def test_two_workers_and_a_scheduler_give_the_embedded_counts(
    live_app: LiveApp, plan_setup: dict[str, Any], distributed: Processes
) -> None:
    distributed.start("worker")
    distributed.start("worker")
    distributed.start("scheduler")
    # The same campaign as the embedded end-to-end test.
    await set_phones(plan_setup, "+861055550101", "+861055550106")
    cid = await start_campaign(live_app, plan_setup, runs=2, seconds=2)
    progress = await wait_until_finished(live_app, cid, timeout=120)
    assert (progress["status"], progress["total"], progress["done"], progress["failed"]) == (
        "completed",
        4,
        4,
        0,
    )
    assert (progress["answered"], progress["attempts"], progress["answer_rate"]) == (2, 4, 0.5)
    await one_probe_per_run(cid)
    workers = {r["claimed_by"] for r in await CampaignRun.select(CampaignRun.claimed_by)}
    assert all(w and not w.startswith("reconciler") for w in workers)


async def test_sigkilled_worker_loses_and_duplicates_nothing(
    live_app: LiveApp, plan_setup: dict[str, Any], distributed: Processes
) -> None:
    # Calls last ~2 s here (40 s simulated at time scale 0.05) so the kill lands mid-call.
    live_app.sim.simulator.config.time_scale = 0.05
    distributed.start("worker")
    distributed.start("worker")
    distributed.start("scheduler")
    await set_phones(plan_setup, "+861055550101", "+861055550109")
    cid = await start_campaign(live_app, plan_setup, runs=5, seconds=4)

    # Wait for a run in a call, then SIGKILL the process executing it.
    deadline = time.monotonic() + 60
    victim = None
    while victim is None:
        assert time.monotonic() < deadline, "no run reached a call"
        rows = await CampaignRun.select(CampaignRun.claimed_by, CampaignRun.probe_run_id).where(
            (CampaignRun.campaign == cid)
            & (CampaignRun.status == "running")
            & CampaignRun.probe_run_id.is_not_null()
        )
        if rows:
            victim = int(str(rows[0]["claimed_by"]).rsplit(":", 1)[1])
        else:
            await asyncio.sleep(0.05)
    os.kill(victim, signal.SIGKILL)

    progress = await wait_until_finished(live_app, cid, timeout=180)
    assert (progress["status"], progress["total"], progress["done"], progress["failed"]) == (
        "completed",
        10,
        10,
        0,
    )
    assert (progress["answered"], progress["attempts"]) == (10, 10)
    await one_probe_per_run(cid)
    # The simulator placed exactly one call per run: nothing was dialled twice.
    assert len(live_app.sim.simulator.calls) == 10
    reconciled = [
        r
        for r in await CampaignRun.select(CampaignRun.claimed_by)
        if str(r["claimed_by"]).startswith("reconciler")
    ]
    assert reconciled, "the killed worker's run was settled by the reconciler"
