"""Bench: the quarterly public quality report over 100,000 probe runs and 1,000,000 complaints
in PostgreSQL (goal ≤ 2 s), printed beside a plain SQL aggregate of the same inputs in the
same run: one GROUP BY per table over exactly the rows the report reads (the period's runs with
a result, its complaints), counting them per operator — the least any report of these rows
must cost on this server.

Usage: .venv/bin/python bench/public_report.py [--repeat 5] [--scale 1.0] [--keep]
Needs PostgreSQL (AUDIT_BENCH_PG, default postgresql://postgres@127.0.0.1:5432); creates and
drops its own database. Seeds with COPY, deterministically (random.Random(20)).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("AUDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("AUDIT_BENCH_DB", f"sqa_bench_report_{os.getpid()}")
os.environ["AUDIT_DATABASE_URL"] = f"{PG}/{DB_NAME}"
os.environ.setdefault("AUDIT_LOG_LEVEL", "WARNING")

RUNS, COMPLAINTS = 100_000, 1_000_000
OPERATORS = ["中国移动通信", "中国联合网络通信", "中国电信", "中国广电", "某虚拟运营商"]
REGIONS = ["320100", "320200", "320500", "330100", "330200", "110000", "440100", "440300"]
ISSUES = ["network", "billing", "attitude", "hotline", "marketing", "privacy", "portability"]
# the half-year the runs and complaints fall in: 2026Q2 (the previous period) and 2026Q3
START = dt.datetime(2026, 3, 31, 16, tzinfo=dt.UTC)  # 2026-04-01 00:00 in Shanghai
DAYS = 183


async def seed(conn: object, scale: float) -> None:
    rnd = random.Random(20)
    c = conn
    ops = [r["id"] for r in await c.fetch(  # type: ignore[attr-defined]
        'INSERT INTO "operator" (name, contacts, created_at) SELECT unnest($1::text[]),'
        " '[]', now() RETURNING id", OPERATORS)]  # fmt: skip
    venues: list[tuple[int, int, str, str]] = []  # id, operator, kind, region
    rows = []
    for op in ops:
        for region in REGIONS:
            for kind in ("hotline", "web_chat"):
                rows.append((op, kind, f"{kind} {region}", region, "[]", "[]", "[]", "{}", True,
                             400 if rnd.random() < 0.3 else None))  # fmt: skip
    await c.copy_records_to_table(  # type: ignore[attr-defined]
        "venue", records=rows, columns=["operator", "kind", "name", "region_code", "phones",
        "service_numbers", "urls", "profile", "active", "sessions_per_day"])  # fmt: skip
    for r in await c.fetch("SELECT id, operator, kind, region_code FROM venue"):  # type: ignore[attr-defined]
        venues.append((r["id"], r["operator"], r["kind"], r["region_code"]))
    voice = [v for v in venues if v[2] == "hotline"]
    chat = [v for v in venues if v[2] == "web_chat"]
    runs = []
    for _ in range(int(RUNS * scale)):
        at = START + dt.timedelta(seconds=rnd.randrange(DAYS * 86400))
        if rnd.random() < 0.8:
            vid, op, _k, _r = rnd.choice(voice)
            outcome = rnd.choice(("answered", "answered", "answered", "busy", "no_answer"))
            status = "probe_error" if rnd.random() < 0.03 else "completed"
            m: dict[str, object] = {"outcome": outcome}
            if outcome == "answered":
                m.update(answered=True, answer_seconds=round(rnd.uniform(1, 60), 1),
                         silent_call={"verdict": rnd.choice(["pass", "fail", None])},
                         greeting={"verdict": rnd.choice(["pass", "fail"])})  # fmt: skip
            runs.append(("voice", status, vid, op, "+8625840000", outcome, json.dumps(m), None,
                         at, at, at))  # fmt: skip
        else:
            vid, op, _k, _r = rnd.choice(chat)
            m = {"first_response_seconds": rnd.choice([10.0, 30.0, 50.0, 90.0, None])}
            items = [
                {"id": f"i{j}", "result": rnd.choice(["pass", "fail", "na"])} for j in range(8)
            ]
            runs.append(("chat", "completed", vid, op, "https://chat.example/", "completed",
                         json.dumps(m), json.dumps({"items": items}), at, at, at))  # fmt: skip
    await c.copy_records_to_table(  # type: ignore[attr-defined]
        "probe_run", records=runs, columns=["kind", "status", "venue", "operator", "target",
        "outcome", "measures", "observations", "started_at", "created_at", "updated_at"])  # fmt: skip
    day0 = dt.date(2026, 4, 1)
    complaints = (
        ("bench", f"C{i}", 0, rnd.choice(ops), rnd.choice(REGIONS), True, rnd.choice(ISSUES),
         True, False, "", day0 + dt.timedelta(days=rnd.randrange(DAYS)), "", "", "")
        for i in range(int(COMPLAINTS * scale))
    )  # fmt: skip
    await c.copy_records_to_table(  # type: ignore[attr-defined]
        "complaint", records=complaints, columns=["source", "external_id", "key", "operator",
        "region", "region_resolved", "issue", "issue_mapped", "classified", "classified_by",
        "received_on", "channel", "summary", "text"])  # fmt: skip
    for op in ops:
        for period in ("2026Q2", "2026Q3"):
            await c.execute(  # type: ignore[attr-defined]
                "INSERT INTO subscriber_count (operator, period, subscribers, source, updated_at)"
                " VALUES ($1, $2, $3, 'bench', now())", op, period, rnd.randint(10**6, 10**9))  # fmt: skip
    await c.execute("ANALYZE")  # type: ignore[attr-defined]


PLAIN = [
    # the same rows, the least work: count them per operator
    "SELECT operator, count(*) FROM probe_run WHERE kind = 'voice' AND status IN ('completed',"
    " 'analysis_failed') AND outcome IN ('answered', 'busy', 'no_answer') AND"
    " COALESCE(started_at, created_at) >= $1 AND COALESCE(started_at, created_at) < $2"
    " GROUP BY operator",
    "SELECT operator, count(*) FROM probe_run WHERE kind = 'chat' AND status = 'completed' AND"
    " COALESCE(started_at, created_at) >= $1 AND COALESCE(started_at, created_at) < $2"
    " GROUP BY operator",
    "SELECT operator, issue, count(*) FROM complaint WHERE received_on >= $1 AND received_on < $2"
    " GROUP BY operator, issue",
]


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    import asyncpg

    admin = await asyncpg.connect(f"{PG}/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    await admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        from audit.db import migrate

        await migrate()
        conn = await asyncpg.connect(os.environ["AUDIT_DATABASE_URL"])
        t0 = time.perf_counter()
        await seed(conn, args.scale)
        n_runs = await conn.fetchval("SELECT count(*) FROM probe_run")
        n_cpl = await conn.fetchval("SELECT count(*) FROM complaint")
        print(f"seeded {n_runs:,} probe runs, {n_cpl:,} complaints in "
              f"{time.perf_counter() - t0:.0f} s")  # fmt: skip

        from audit.db import engine
        from audit.domain.reports.services import period_of, public_report, window

        await engine().start_connection_pool()  # as the app does in its lifespan

        w = window(period_of("2026Q3"), None)
        prev = window(period_of("2026Q2"), None)

        async def plain() -> float:
            # the rows the report reads: the period and the previous one
            t = time.perf_counter()
            for sql in PLAIN:
                on_days = "received_on" in sql
                bounds = (prev.start_on, w.end_on) if on_days else (prev.start_at, w.end_at)
                await conn.fetch(sql, *bounds)
            return time.perf_counter() - t

        async def report(scope: str) -> float:
            t = time.perf_counter()
            r = await public_report("2026Q3", scope)
            assert r["operators"], "the report found nothing"
            return time.perf_counter() - t

        await plain()
        await report("nation")  # warm caches (both sides read the same pages)
        rows = []
        for label, fn in (("report, nation", lambda: report("nation")),
                          ("report, province 32", lambda: report("32"))):  # fmt: skip
            base, rep = [], []
            for _ in range(args.repeat):
                base.append(await plain())
                rep.append(await fn())
            rows.append((label, statistics.median(rep), statistics.median(base)))
        await conn.close()
        print(f"\n{'figure':26} {'report s':>9} {'plain SQL s':>12} {'ratio':>6}  (goal ≤ 2 s)")
        for label, rep_s, base_s in rows:
            print(f"{label:26} {rep_s:9.3f} {base_s:12.3f} {rep_s / base_s:6.2f}")
    finally:
        from audit.db import engine

        await engine().close_connection_pool() if hasattr(
            engine(), "close_connection_pool"
        ) else None
        if not args.keep:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", DB_NAME
            )
            await admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        else:
            print(f"kept: {os.environ['AUDIT_DATABASE_URL']}")
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
