"""Twilio webhook throughput on PostgreSQL: signed status/transcription callbacks per second
and their latency (p50/p99), against the real app served by uvicorn.

Set-up: a fresh PostgreSQL database (migrated), N probe runs in ``dialing`` with call SIDs,
the app in uvicorn worker process(es) with a Twilio account configured, and wrk (C, so the
load generator leaves the cores to the app; bench/webhook_load.lua) replaying callbacks signed
exactly as Twilio signs them (``initiated``, ``ringing``, ``in-progress``, a transcription
event and ``completed``, which ends the call and sends its ``probing.finish`` job to Redis, as
at scale — no worker consumes it here, so the figure is the webhook's own cost; 10% are
repeats, which must be no-ops), each at most once, over 32 connections. The
reference measured in the same run is the same route refused at the signature check (403):
the framework's share of the cost, without the database.

    .venv/bin/python bench/webhook_throughput.py                 # 2 app workers, 15 s
    .venv/bin/python bench/webhook_throughput.py --app-workers 1 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("AUDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("AUDIT_BENCH_REDIS", "redis://127.0.0.1:6379/0")
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
    """(path with query, form params) — one call's life per run (five callbacks, the last
    ``completed``), plus 10% repeats."""
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
        t += dt.timedelta(seconds=1)
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
                    "Timestamp": t.isoformat(),
                },
            )
        )
        t += dt.timedelta(seconds=30)
        out.append(
            (
                f"/webhooks/twilio/status?run={run_id}",
                {
                    "AccountSid": ACCOUNT,
                    "CallSid": sid,
                    "CallStatus": "completed",
                    "CallDuration": "31",
                    "RecordingSid": "RE" + secrets.token_hex(16),
                    "Timestamp": t.strftime("%a, %d %b %Y %H:%M:%S +0000"),
                    "To": "+861055550101",
                    "From": "+861055550000",
                    "Direction": "outbound-api",
                },
            )
        )
        if len(out) >= total:
            break
    rng = random.Random(7)
    repeats = rng.sample(out, k=len(out) // 10)
    out.extend(repeats)
    return out[: int(total * 1.1)]


WRK_SCRIPT = Path(__file__).resolve().parent / "webhook_load.lua"


def wrk(
    base_url: str,
    lines: list[tuple[str, str, str]],
    *,
    seconds: float,
    connections: int,
    threads: int = 2,
) -> dict[str, int]:
    """Replay ``lines`` (path, signature, body) with wrk; each line is sent at most once."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk (scripts/bootstrap.sh does)")
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as fh:
        for path, sig, body in lines:
            fh.write(f"{path}\t{sig}\t{body}\n")
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", str(WRK_SCRIPT), base_url, "--", fh.name, str(threads)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}


def signed_lines(
    public: str, items: list[tuple[str, dict[str, str]]]
) -> list[tuple[str, str, str]]:
    from probes.twilio_sim.signing import twilio_signature

    return [
        (path, twilio_signature(TOKEN, public + path, params), urlencode(params))
        for path, params in items
    ]


def refused_lines(n: int) -> list[tuple[str, str, str]]:
    """The reference: the same route refused at the signature check (403) — routing,
    middleware, form parsing, HMAC and the log line, but no database."""
    body = urlencode({"AccountSid": ACCOUNT, "CallSid": "CA" + "0" * 32, "CallStatus": "ringing"})
    return [("/webhooks/twilio/status?run=1", "not-a-signature", body)] * n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--callbacks", type=int, default=40000, help="distinct signed callbacks prepared (+10%%)"
    )
    ap.add_argument("--seconds", type=float, default=15, help="length of the measured run")
    ap.add_argument("--app-workers", type=int, default=2)
    ap.add_argument(
        "--concurrency", type=int, default=32, help="open connections (wrk -c): callbacks in flight"
    )
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
        # ``completed`` sends probing.finish to this queue (emptied at the end, never run);
        # a finish would fetch from this dead local address, never from the outside.
        "AUDIT_BROKER_URL": REDIS,
        "AUDIT_BROKER_QUEUE": f"bench:{db_name}:jobs",
        "AUDIT_TWILIO_API_BASE_URL": "http://127.0.0.1:9",
        "AUDIT_LOG_LEVEL": "WARNING",
    }
    os.environ.update({"AUDIT_DATABASE_URL": db_url, "AUDIT_DB_POOL": "false"})
    asyncio.run(pg_admin(f'CREATE DATABASE "{db_name}"'))
    server = None
    try:
        from audit.db import migrate

        asyncio.run(migrate())
        runs = asyncio.run(seed_runs(args.callbacks // 5 + 1))
        items = callbacks(runs, args.callbacks, public)
        log_path = Path(tempfile.gettempdir()) / f"{db_name}.app.log"
        app_log = open(log_path, "w")  # noqa: SIM115 - closed in finally
        server = subprocess.Popen(
            [sys.executable, *PROFILE, "-m", "uvicorn", "--factory", "audit.asgi:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.app_workers),
             "--log-level", "warning", "--no-access-log"],
            env=env, cwd=ROOT, start_new_session=True, stdout=app_log, stderr=app_log,
        )  # fmt: skip
        import httpx

        deadline = time.monotonic() + 240  # a busy machine starts workers slowly
        while True:
            try:
                if httpx.get(f"{public}/health/").status_code in (200, 503):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the app did not start (see {log_path})")
            time.sleep(0.2)
        c = args.concurrency
        # Warm-up (connection pools, first imports), then the measured runs.
        wrk(public, refused_lines(2000), seconds=2, connections=c)
        ref = wrk(public, refused_lines(100_000), seconds=args.seconds / 2, connections=c)
        res = wrk(public, signed_lines(public, items), seconds=args.seconds, connections=c)
        secs = res["duration_us"] / 1e6
        rate, h_rate = res["requests"] / secs, ref["requests"] / (ref["duration_us"] / 1e6)
        p99 = res["p99_us"] / 1000
        print(f"cores: {os.cpu_count()}  app workers: {args.app_workers}  load generator: wrk, "
              f"{c} connections  database: PostgreSQL")  # fmt: skip
        print(f"callbacks: {res['requests']} in {secs:.2f} s ({res['bad']} not 204; "
              f"{len(items)} prepared, 10% of them repeats)")  # fmt: skip
        print(f"webhook throughput: {rate:.0f} callbacks/s  p50 {res['p50_us'] / 1000:.1f} ms  "
              f"p90 {res['p90_us'] / 1000:.1f} ms  p99 {p99:.1f} ms  "
              f"max {res['max_us'] / 1000:.1f} ms")  # fmt: skip
        print(f"reference (same route, refused at the signature): {h_rate:.0f} req/s  "
              f"p99 {ref['p99_us'] / 1000:.1f} ms")  # fmt: skip
        print(f"ratio webhook/reference: {rate / h_rate:.2f}   ratio to the 1000/s goal: "
              f"{rate / 1000:.2f}   p99 under 100 ms: {'yes' if p99 < 100 else 'NO'}")  # fmt: skip
        if res["exhausted"]:
            print("note: the prepared callbacks ran out before the end; raise --callbacks")
        errors = sum(res[k] for k in res if k.startswith("errors_")) + res["bad"]
        if errors:
            raise SystemExit(f"{errors} callbacks failed or were refused (app log: {log_path})")
    finally:
        if server is not None:
            os.killpg(server.pid, 2 if PROFILE else 15)
            server.wait(timeout=20)
        asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        import redis

        client = redis.Redis.from_url(REDIS)
        queued = sum(
            1
            for k in client.scan_iter(match=f"bench:{db_name}*")
            if client.type(k) == b"list"
            for m in client.lrange(k, 0, -1)
            if b'"probing.finish"' in m
        )
        for key in client.scan_iter(match=f"bench:{db_name}*"):
            client.delete(key)
        print(f"probing.finish jobs sent to Redis by completed callbacks: {queued}")


if __name__ == "__main__":
    main()
