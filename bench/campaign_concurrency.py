"""Concurrent simulated calls one `audit worker` process drives (time-scaled simulator).

Set-up: a fresh PostgreSQL database; the app (webhooks, recording analysis) in its own
uvicorn process; ONE worker process (`python -m audit.jobs worker --workers 1`) and the
scheduler on Redis; the Twilio simulator in this process, with calls of 40 simulated seconds
stretched to ``--call-seconds`` real seconds. A campaign calls ``--targets`` distinct numbers
once each, all due at once. Sampled every 0.1 s: calls in progress at the simulator and runs
the worker holds in ``running``. The figure is the peak of calls in progress, printed with
its ratio to the 500-call goal and to the number of runs (the reference: all at once), with
how long the app took to answer each callback (the ``completed`` one only sends the
``probing.finish`` job: goal 0 callbacks over 5 s), whether every answered call's recording
was analysed, and runs finished per minute.

    .venv/bin/python bench/campaign_concurrency.py                  # 600 targets
    .venv/bin/python bench/campaign_concurrency.py --targets 200 --call-seconds 10
    .venv/bin/python bench/campaign_concurrency.py --scaling        # 1 worker, then 2: ratio
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("AUDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("AUDIT_BENCH_REDIS", "redis://127.0.0.1:6379/0")
ACCOUNT = "AC" + "4" * 32
TOKEN = secrets.token_hex(16)
CALLER = "+861055550000"
PUBLIC = "https://bench.audit.local"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def migrate() -> None:
    from audit import db

    await db.migrate()


async def make_campaign(n: int, window_s: float) -> int:
    from audit import db
    from audit.context import SYSTEM
    from audit.domain.campaigns import services
    from audit.domain.campaigns.schemas import CampaignIn
    from audit.domain.operators.tables import Operator, Venue
    from audit.domain.plans.tables import AuditPlan, PlanVenue

    await db.start()
    op = (await Operator.insert(Operator(name="基准通信")).returning(Operator.id))[0]["id"]
    now = dt.datetime.now(dt.UTC)
    plan = (
        await AuditPlan.insert(
            AuditPlan(name="bench", operator=op, method="open", sampling="comprehensive",
                      window_start=now, window_end=now + dt.timedelta(days=1), status="active")
        ).returning(AuditPlan.id)
    )[0]["id"]  # fmt: skip
    venues = [
        Venue(operator=op, kind="hotline", name=f"热线{i}", phones=[f"+8657199{i:05d}"])
        for i in range(n)
    ]
    ids = [r["id"] for r in await Venue.insert(*venues).returning(Venue.id)]
    await PlanVenue.insert(*[PlanVenue(plan=plan, venue=v, position=i) for i, v in enumerate(ids)])
    start = now + dt.timedelta(seconds=5)
    data = CampaignIn.model_validate(
        {
            "plan_id": plan,
            "name": "concurrency bench",
            "targets": [{"venue_id": v} for v in ids],
            "listen_s": 40,
            "schedule": {
                "windows": [{"kind": "fixed", "start": start.isoformat(),
                             "end": (start + dt.timedelta(seconds=window_s)).isoformat()}],
                "runs_per_target": 1,
                "holiday_calendar": False,
                "caller_ids": [CALLER],
                "seed": 1,
            },
        }
    )  # fmt: skip
    c = await services.create_campaign(data, SYSTEM)
    await services.transition(c["id"], "schedule", SYSTEM)
    await db.stop()
    return int(c["id"])


async def sample(sim: object, campaign_id: int, total: int, timeout: float) -> dict[str, float]:
    from audit import db
    from audit.domain.campaigns.tables import CampaignRun

    await db.start()
    calls = sim.simulator.calls  # type: ignore[attr-defined]
    peak_calls = peak_running = 0
    start = time.monotonic()
    first_done = None
    while time.monotonic() - start < timeout:
        live = sum(1 for c in list(calls.values()) if c.status in ("ringing", "in-progress"))
        rows = await CampaignRun.select(CampaignRun.status).where(
            CampaignRun.campaign == campaign_id
        )
        running = sum(1 for r in rows if r["status"] == "running")
        finished = sum(1 for r in rows if r["status"] in ("done", "failed"))
        peak_calls, peak_running = max(peak_calls, live), max(peak_running, running)
        if finished and first_done is None:
            first_done = time.monotonic() - start
        if finished == total:
            break
        await asyncio.sleep(0.1)
    from audit.domain.probing.tables import ProbeRun

    outcomes: dict[str, int] = {}
    answered = analysed = analysis_failed = 0
    for r in await ProbeRun.select(ProbeRun.status, ProbeRun.outcome, ProbeRun.measures).where(
        ProbeRun.campaign_run_id.is_not_null()
    ):
        label = f"{r['status']}/{r['outcome']}"
        outcomes[label] = outcomes.get(label, 0) + 1
        m = r["measures"]
        m = json.loads(m) if isinstance(m, str) else (m or {})
        if r["outcome"] == "answered":
            answered += 1
            analysed += bool((m.get("silent_call") or {}).get("repetitions") is not None)
        analysis_failed += r["status"] == "analysis_failed"
    await db.stop()
    return {
        "outcomes": outcomes,  # type: ignore[dict-item]
        "answered": answered,
        "analysed": analysed,
        "analysis_failed": analysis_failed,
        "peak_calls": peak_calls,
        "peak_running": peak_running,
        "finished": finished,
        "elapsed": time.monotonic() - start,
    }


def wait_healthy(base: str, timeout: float = 240) -> None:  # busy machines start slowly
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the app did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=600)
    ap.add_argument("--call-seconds", type=float, default=90.0, help="real length of a call")
    ap.add_argument("--window", type=float, default=3.0, help="seconds over which runs are due")
    ap.add_argument("--app-workers", type=int, default=2, help="uvicorn processes (webhooks)")
    ap.add_argument("--worker-processes", type=int, default=1, help="`audit worker` processes")
    ap.add_argument("--scaling", action="store_true", help="run with 1 worker, then 2: ratio")
    args = ap.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per callback otherwise
    if not args.scaling:
        run_once(args, args.worker_processes)
        return
    one = run_once(args, 1)
    two = run_once(args, 2)
    print(f"scaling: 2 workers / 1 worker = {two / one:.2f} (runs finished per minute; "
          f"{one:.0f} vs {two:.0f})")  # fmt: skip


def run_once(args: argparse.Namespace, workers: int) -> float:
    """One campaign with ``workers`` worker processes; returns runs finished per minute."""

    db_name = f"sqa_bench_conc_{os.getpid()}"
    db_url = f"{PG}/{db_name}"
    prefix = f"bench:{uuid.uuid4().hex}"
    port = free_port()
    os.environ.update({"AUDIT_DATABASE_URL": db_url, "AUDIT_DB_POOL": "false"})
    asyncio.run(pg_admin(f'CREATE DATABASE "{db_name}"'))
    procs: list[subprocess.Popen[bytes]] = []
    from probes.twilio_sim import SimulatorConfig, load_demo_scenarios, start_simulator

    config = SimulatorConfig(
        account_sid=ACCOUNT, auth_token=TOKEN, scenarios=load_demo_scenarios(),
        time_scale=args.call_seconds / 40.0,
        webhook_proxy={PUBLIC: f"http://127.0.0.1:{port}"},
        # every call's recording stays until the app has fetched it; callbacks fan out freely
        max_recordings=args.targets * 2, callback_connections=args.targets * 4,
    )  # fmt: skip
    try:
        asyncio.run(migrate())
        with start_simulator(config) as sim:
            env = {
                **os.environ,
                "AUDIT_DATABASE_URL": db_url,
                "AUDIT_DB_POOL": "true",
                "AUDIT_BROKER_URL": REDIS,
                "AUDIT_BROKER_QUEUE": f"{prefix}:jobs",
                "AUDIT_RATE_PREFIX": f"{prefix}:rate",
                "AUDIT_PUBLIC_BASE_URL": PUBLIC,
                "AUDIT_TWILIO_ACCOUNT_SID": ACCOUNT,
                "AUDIT_TWILIO_AUTH_TOKEN": TOKEN,
                "AUDIT_TWILIO_API_BASE_URL": sim.base_url,
                "AUDIT_TWILIO_CALLER_IDS": json.dumps([CALLER]),
                "AUDIT_CALLS_PER_SECOND": "1000",
                "AUDIT_MAX_CONCURRENT_CALLS": "5000",
                "AUDIT_EMBEDDED_JOBS": "false",
                "AUDIT_LOG_LEVEL": "WARNING",
            }
            common = {"env": env, "cwd": ROOT, "start_new_session": True}
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "audit.asgi:create_app",
                 "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.app_workers),
                 "--log-level", "warning", "--no-access-log"], **common))  # type: ignore[call-overload]  # fmt: skip
            for _ in range(workers):
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "audit.jobs", "worker", "--workers", "1",
                     "--max-async-tasks", "2000", "--log-level", "WARNING"], **common))  # type: ignore[call-overload]  # fmt: skip
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "audit.jobs", "scheduler", "--log-level", "WARNING"],
                **common))  # type: ignore[call-overload]  # fmt: skip
            wait_healthy(f"http://127.0.0.1:{port}")
            # The campaign is scheduled once the app takes webhooks: its runs start 5 s later.
            campaign_id = asyncio.run(make_campaign(args.targets, args.window))
            got = asyncio.run(sample(sim, campaign_id, args.targets, timeout=600))
            cbs = list(sim.simulator.callbacks)
            failed_callbacks = sum(1 for c in cbs if c.error)
            refused = sum(1 for c in cbs if (c.response_status or 0) >= 400)
            times = sorted(c.elapsed_s for c in cbs if c.elapsed_s is not None)
            completed = sorted(
                c.elapsed_s for c in cbs if c.event == "completed" and c.elapsed_s is not None
            )
        print(f"cores: {os.cpu_count()}  worker processes: {workers}  targets: {args.targets}  "
              f"call length: {args.call_seconds:.0f} s real (40 s simulated)")  # fmt: skip
        print(f"runs finished: {got['finished']:.0f} of {args.targets} in {got['elapsed']:.1f} s")
        print(
            f"peak calls in progress: {got['peak_calls']:.0f}  "
            f"(peak runs held by the worker: {got['peak_running']:.0f})"
        )
        print(f"run outcomes (status/outcome): {got['outcomes']}")
        print(f"callbacks delivered: {len(sim.simulator.callbacks)}  failed to deliver: "
              f"{failed_callbacks}  refused by the app: {refused}")  # fmt: skip
        print(
            f"ratio to the 500-call goal: {got['peak_calls'] / 500:.2f}  "
            f"ratio to all-at-once: {got['peak_calls'] / args.targets:.2f}"
        )

        def pct(xs: list[float], q: float) -> float:
            return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

        print(f"callback answer time: p50 {pct(times, 0.5) * 1000:.0f} ms  p99 "
              f"{pct(times, 0.99) * 1000:.0f} ms  max {pct(times, 1.0) * 1000:.0f} ms  "
              f"over 5 s: {sum(1 for t in times if t > 5)} of {len(times)}  "
              f"('completed' p99 {pct(completed, 0.99) * 1000:.0f} ms)")  # fmt: skip
        print(f"answered calls: {got['answered']:.0f}  recordings analysed: "
              f"{got['analysed']:.0f}  analysis failed: {got['analysis_failed']:.0f}")  # fmt: skip
        per_minute = got["finished"] / got["elapsed"] * 60
        print(f"runs finished per minute: {per_minute:.0f}")
        return per_minute
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        import redis

        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
        asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
