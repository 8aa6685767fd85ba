"""Twilio webhook throughput on PostgreSQL: signed status/transcription callbacks per second
and their latency (p50/p99), against the real app served by uvicorn.

Set-up: a fresh PostgreSQL database (migrated), N probe runs in ``dialing`` with call SIDs,
the app in uvicorn worker process(es) with a Twilio account configured, and a load generator
posting callbacks signed exactly as Twilio signs them (``initiated``, ``ringing``,
``in-progress`` and transcription events; 10% are repeats, which must be no-ops). The
reference measured in the same run is the same route refused at the signature check (403):
the framework's share of the cost, without the database.

    .venv/bin/python bench/webhook_throughput.py                 # 2 app workers, 6000 callbacks
    .venv/bin/python bench/webhook_throughput.py --app-workers 1 --callbacks 3000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("AUDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
ACCOUNT = "AC" + "7" * 32
TOKEN = secrets.token_hex(16)
# AUDIT_BENCH_PROFILE=/tmp/prof.out: run the (single) app worker under cProfile.
PROFILE = (
    ["-m", "cProfile", "-o", os.environ["AUDIT_BENCH_PROFILE"]]
    if os.environ.get("AUDIT_BENCH_PROFILE")
    else []
)


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


async def seed_runs(n: int) -> list[tuple[int, str]]:
    from audit import db
    from audit.domain.probing.tables import ProbeRun

    await db.start()
    now = dt.datetime.now(dt.UTC)
    rows = [
        ProbeRun(
            kind="voice",
            status="dialing",
            target="+861055550101",
            caller_id="+861055550000",
            provider="twilio",
            provider_ref="CA" + secrets.token_hex(16),
            params={"listen_s": 40, "ring_seconds": 5.0},
            created_at=now,
            updated_at=now,
            started_at=now,
        )
        for _ in range(n)
    ]
    out: list[tuple[int, str]] = []
    for i in range(0, n, 500):
        got = await ProbeRun.insert(*rows[i : i + 500]).returning(
            ProbeRun.id, ProbeRun.provider_ref
        )
        out.extend((int(r["id"]), str(r["provider_ref"])) for r in got)
    await db.stop()
    return out


def callbacks(
    runs: list[tuple[int, str]], total: int, public: str
) -> list[tuple[str, dict[str, str]]]:
    """(path with query, form params) — one call's life per run, plus 10% repeats."""
    base = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    out: list[tuple[str, dict[str, str]]] = []
    for run_id, sid in runs:
        t = base
        for status in ("initiated", "ringing", "in-progress"):
            t += dt.timedelta(seconds=2)
            out.append(
                (
                    f"/webhooks/twilio/status?run={run_id}",
                    {
                        "AccountSid": ACCOUNT,
                        "CallSid": sid,
                        "CallStatus": status,
                        "Timestamp": t.strftime("%a, %d %b %Y %H:%M:%S +0000"),
                        "To": "+861055550101",
                        "From": "+861055550000",
                        "Direction": "outbound-api",
                    },
                )
            )
        out.append(
            (
                f"/webhooks/twilio/transcription?run={run_id}",
                {
                    "AccountSid": ACCOUNT,
                    "CallSid": sid,
                    "TranscriptionSid": "GT" + secrets.token_hex(16),
                    "TranscriptionEvent": "transcription-content",
                    "SequenceId": "1",
                    "Track": "inbound_track",
                    "TranscriptionData": '{"transcript": "您好,请问有什么可以帮您?"}',
                    "Timestamp": (t + dt.timedelta(seconds=1)).isoformat(),
                },
            )
        )
        if len(out) >= total:
            break
    rng = random.Random(7)
    repeats = rng.sample(out, k=len(out) // 10)
    out.extend(repeats)
    return out[: int(total * 1.1)]


async def fire(
    base_url: str, public: str, items: list[tuple[str, dict[str, str]]], concurrency: int
) -> tuple[float, list[float], int]:
    import httpx

    from probes.twilio_sim.signing import twilio_signature

    prepared = []
    for path, params in items:
        sig = twilio_signature(TOKEN, public + path, params)
        prepared.append((path, urlencode(params), sig))
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()
    for p in prepared:
        queue.put_nowait(p)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as http:

        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                path, body, sig = queue.get_nowait()
                t0 = time.perf_counter()
                r = await http.post(
                    path,
                    content=body,
                    headers={
                        "X-Twilio-Signature": sig,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 204:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return elapsed, latencies, errors


async def reference(base_url: str, n: int, concurrency: int) -> tuple[float, list[float]]:
    """The same endpoint refused at the signature check (403): routing, middleware, form
    parsing and HMAC, but no database — what the webhook costs before its own work."""
    import httpx

    latencies: list[float] = []
    sem = asyncio.Semaphore(concurrency)
    body = urlencode({"AccountSid": ACCOUNT, "CallSid": "CA" + "0" * 32, "CallStatus": "ringing"})
    headers = {
        "X-Twilio-Signature": "not-a-signature",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:

        async def one() -> None:
            async with sem:
                t0 = time.perf_counter()
                r = await http.post("/webhooks/twilio/status?run=1", content=body, headers=headers)
                latencies.append(time.perf_counter() - t0)
                assert r.status_code == 403, r.status_code

        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        return time.perf_counter() - start, latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--callbacks", type=int, default=6000)
    ap.add_argument("--app-workers", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=64)
    args = ap.parse_args()

    db_name = f"sqa_bench_{os.getpid()}"
    db_url = f"{PG}/{db_name}"
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "AUDIT_DATABASE_URL": db_url,
        "AUDIT_TWILIO_ACCOUNT_SID": ACCOUNT,
        "AUDIT_TWILIO_AUTH_TOKEN": TOKEN,
        "AUDIT_PUBLIC_BASE_URL": public,
        "AUDIT_EMBEDDED_JOBS": "false",
        "AUDIT_LOG_LEVEL": "WARNING",
    }
    os.environ.update({"AUDIT_DATABASE_URL": db_url, "AUDIT_DB_POOL": "false"})
    asyncio.run(pg_admin(f'CREATE DATABASE "{db_name}"'))
    server = None
    try:
        from audit.db import migrate

        asyncio.run(migrate())
        runs = asyncio.run(seed_runs(args.callbacks // 4 + 1))
        items = callbacks(runs, args.callbacks, public)
        server = subprocess.Popen(
            [sys.executable, *PROFILE, "-m", "uvicorn", "--factory", "audit.asgi:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.app_workers),
             "--log-level", "warning", "--no-access-log"],
            env=env, cwd=ROOT, start_new_session=True,
        )  # fmt: skip
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{public}/health/").status_code in (200, 503):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the app did not start")
            time.sleep(0.2)
        # Warm-up (connection pools, first imports), then the measured runs.
        asyncio.run(reference(public, 200, args.concurrency))
        h_elapsed, h_lat = asyncio.run(reference(public, 2000, args.concurrency))
        elapsed, lat, errors = asyncio.run(fire(public, public, items, args.concurrency))
        rate = len(lat) / elapsed
        h_rate = len(h_lat) / h_elapsed
        print(f"cores: {os.cpu_count()}  app workers: {args.app_workers}  "
              f"client concurrency: {args.concurrency}  database: PostgreSQL")  # fmt: skip
        print(f"callbacks: {len(lat)} ({errors} not 204) in {elapsed:.2f} s")
        print(f"webhook throughput: {rate:.0f} callbacks/s  p50 {pct(lat, 0.5) * 1000:.1f} ms  "
              f"p99 {pct(lat, 0.99) * 1000:.1f} ms  mean {statistics.mean(lat) * 1000:.1f} ms")  # fmt: skip
        print(f"reference (same route, refused at the signature): {h_rate:.0f} req/s  "
              f"p99 {pct(h_lat, 0.99) * 1000:.1f} ms")  # fmt: skip
        print(f"ratio webhook/reference: {rate / h_rate:.2f}   ratio to the 1000/s goal: "
              f"{rate / 1000:.2f}   p99 under 100 ms: "
              f"{'yes' if pct(lat, 0.99) < 0.1 else 'NO'}")  # fmt: skip
        if errors:
            raise SystemExit(f"{errors} callbacks were refused")
    finally:
        if server is not None:
            os.killpg(server.pid, 2 if PROFILE else 15)
            server.wait(timeout=20)
        asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
