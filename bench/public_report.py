"""Bench: the quarterly public quality report over 100,000 probe runs and 1,000,000 complaints
in PostgreSQL (goal ≤ 2 s), printed beside a plain SQL aggregate of the same inputs in the
same run: one GROUP BY per table over exactly the rows the report reads (the period's runs with
a result, its complaints), counting them per operator — the least any report of these rows
must cost on this server.

Usage: .venv/bin/python bench/public_report.py [--repeat 5] [--scale 1.0] [--keep]
Needs PostgreSQL (AUDIT_BENCH_PG, default postgresql://postgres@127.0.0.1:5432); creates and
drops its own database. Seeds set-based and deterministically: one INSERT … SELECT over
generate_series per table, the "random" choices from hashint8 of the row number (seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

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


# A deterministic "random" number in [0, n) for row i and a salt, computed by the server:
# every table is filled by one INSERT … SELECT over generate_series (no row crosses the wire).
def _pick(i: str, salt: int, n: int | str) -> str:
    return f"(abs(hashint8({i}::bigint * 7919 + {salt})::bigint) % {n})"


async def seed(conn: object, scale: float) -> None:
    c: Any = conn
    ops = [r["id"] for r in await c.fetch(
        'INSERT INTO "operator" (name, contacts, created_at) SELECT unnest($1::text[]),'
        " '[]', now() RETURNING id", OPERATORS)]  # fmt: skip
    # every operator has a hotline and a web chat in every region; 30 % serve > 300 chats a day
    await c.execute(
        "INSERT INTO venue (operator, kind, name, region_code, phones, service_numbers, urls,"
        " profile, active, sessions_per_day)"
        " SELECT o, k, k || ' ' || r, r, '[]', '[]', '[]', '{}', true,"
        f" CASE WHEN {_pick('o * 100 + length(r) + length(k)', 1, 10)} < 3 THEN 400 END"
        " FROM unnest($1::int[]) o, unnest($2::text[]) r, unnest(ARRAY['hotline', 'web_chat']) k",
        ops, REGIONS,
    )  # fmt: skip
    n_runs = int(RUNS * scale)
    at = f"$1::timestamptz + make_interval(secs => {_pick('i', 2, DAYS * 86400)})"
    voice_m = (
        "CASE WHEN g.outcome = 'answered' THEN json_build_object('outcome', g.outcome,"
        f" 'answered', true, 'answer_seconds', round((1 + {_pick('g.i', 5, 591)} / 10.0), 1),"
        " 'silent_call', json_build_object('verdict',"
        f" (ARRAY['pass', 'fail', NULL])[1 + {_pick('g.i', 6, 3)}]),"
        " 'greeting', json_build_object('verdict',"
        f" (ARRAY['pass', 'fail'])[1 + {_pick('g.i', 7, 2)}]))"
        " ELSE json_build_object('outcome', g.outcome) END"
    )
    chat_m = (
        "json_build_object('first_response_seconds',"
        f" (ARRAY[10.0, 30.0, 50.0, 90.0, NULL])[1 + {_pick('g.i', 8, 5)}])"
    )
    items = (
        "json_build_object('items', (SELECT json_agg(json_build_object('id', 'i' || j,"
        f" 'result', (ARRAY['pass', 'fail', 'na'])[1 + {_pick('g.i * 8 + j', 9, 3)}]))"
        " FROM generate_series(0, 7) j))"
    )
    await c.execute(
        "INSERT INTO probe_run (kind, status, venue, operator, target, outcome, measures,"
        " observations, started_at, created_at, updated_at)"
        " SELECT g.kind, CASE WHEN g.kind = 'voice' AND g.err THEN 'probe_error' ELSE"
        " 'completed' END, v.id, v.operator, CASE WHEN g.kind = 'voice' THEN '+8625840000'"
        " ELSE 'https://chat.example/' END, g.outcome,"
        f" CASE WHEN g.kind = 'voice' THEN {voice_m} ELSE {chat_m} END,"
        f" CASE WHEN g.kind = 'chat' THEN {items} END, g.at, g.at, g.at"
        " FROM (SELECT i, CASE WHEN " + _pick("i", 3, 10) + " < 8 THEN 'voice' ELSE 'chat' END"
        " AS kind, " + _pick("i", 4, 100) + " < 3 AS err, " + at + " AS at,"
        " " + _pick("i", 10, "$3") + " AS vpick, (ARRAY['answered', 'answered', 'answered',"
        " 'busy', 'no_answer'])[1 + " + _pick("i", 11, 5) + "] AS voice_outcome"
        " FROM generate_series(0, $2 - 1) i) g0"
        " CROSS JOIN LATERAL (SELECT g0.i AS i, g0.kind AS kind, g0.err AS err, g0.at AS at,"
        " CASE WHEN g0.kind = 'voice' THEN g0.voice_outcome ELSE 'completed' END AS outcome) g"
        " JOIN (SELECT id, operator, kind, row_number() OVER (PARTITION BY kind ORDER BY id) - 1"
        " AS rn FROM venue) v ON v.kind = CASE WHEN g.kind = 'voice' THEN 'hotline'"
        " ELSE 'web_chat' END AND v.rn = g0.vpick",
        START, n_runs, len(OPERATORS) * len(REGIONS),
    )  # fmt: skip
    await c.execute(
        "INSERT INTO complaint (source, external_id, key, operator, region, region_resolved,"
        " issue, issue_mapped, classified, classified_by, received_on, channel, summary, text)"
        " SELECT 'bench', 'C' || i, 0, ($1::int[])[1 + " + _pick("i", 12, "cardinality($1)") + "],"
        " ($2::text[])[1 + " + _pick("i", 13, "cardinality($2)") + "], true,"
        " ($3::text[])[1 + " + _pick("i", 14, "cardinality($3)") + "], true, false, '',"
        " $4::date + " + _pick("i", 15, DAYS) + "::int, '', '', ''"
        " FROM generate_series(0, $5 - 1) i",
        ops, REGIONS, ISSUES, dt.date(2026, 4, 1), int(COMPLAINTS * scale),
    )  # fmt: skip
    await c.execute(
        "INSERT INTO subscriber_count (operator, period, subscribers, source, updated_at)"
        " SELECT o, p, 1000000 + " + _pick("o * 10 + length(p)", 16, 999000000) + ", 'bench', now()"
        " FROM unnest($1::int[]) o, unnest(ARRAY['2026Q2', '2026Q3']) p",
        ops,
    )  # fmt: skip
    await c.execute("ANALYZE")


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


TICK = os.sysconf("SC_CLK_TCK")


def cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) of this process and of the given PostgreSQL backends (the
    server runs on this machine): wall time is noisy while other work shares the cores."""
    total = time.process_time()
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return total


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument(
        "--parallel",
        action="store_true",
        help="let PostgreSQL use parallel workers (their CPU is then not counted)",
    )
    args = ap.parse_args()
    import asyncpg

    admin = await asyncpg.connect(f"{PG}/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    await admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        if not args.parallel:
            # one process per query on both sides, so the CPU counted below is all of it
            await admin.execute(
                f'ALTER DATABASE "{DB_NAME}" SET max_parallel_workers_per_gather = 0'
            )
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

        plain_pid = await conn.fetchval("SELECT pg_backend_pid()")

        async def backends() -> list[int]:
            rows = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> $2",
                DB_NAME, plain_pid,
            )  # fmt: skip
            return [r["pid"] for r in rows]

        async def plain() -> tuple[float, float]:
            # the rows the report reads: the period and the previous one
            c0, t = cpu([plain_pid]), time.perf_counter()
            for sql in PLAIN:
                on_days = "received_on" in sql
                bounds = (prev.start_on, w.end_on) if on_days else (prev.start_at, w.end_at)
                await conn.fetch(sql, *bounds)
            return time.perf_counter() - t, cpu([plain_pid]) - c0

        async def report(scope: str) -> tuple[float, float]:
            pids = await backends()
            c0, t = cpu(pids), time.perf_counter()
            r = await public_report("2026Q3", scope)
            wall = time.perf_counter() - t
            assert r["operators"], "the report found nothing"
            return wall, cpu(await backends()) - c0

        await plain()
        await report("nation")  # warm caches (both sides read the same pages)
        await report("nation")  # the pool's connections exist from here on
        rows = []
        for label, fn in (("report, nation", lambda: report("nation")),
                          ("report, province 32", lambda: report("32"))):  # fmt: skip
            base, rep = [], []
            for _ in range(args.repeat):
                base.append(await plain())
                rep.append(await fn())
            med = statistics.median
            rows.append((label, med(r[0] for r in rep), med(b[0] for b in base),
                         med(r[1] for r in rep), med(b[1] for b in base)))  # fmt: skip
        await conn.close()
        print(f"\nmedian of {args.repeat}; CPU = this process + its PostgreSQL backends")
        print(f"{'figure':22} {'report s':>9} {'plain s':>8} {'ratio':>6} {'report CPU s':>13}"
              f" {'plain CPU s':>12} {'CPU ratio':>10}  (goal ≤ 2 s)")  # fmt: skip
        for label, rep_s, base_s, rep_c, base_c in rows:
            print(f"{label:22} {rep_s:9.3f} {base_s:8.3f} {rep_s / base_s:6.2f} {rep_c:13.3f}"
                  f" {base_c:12.3f} {rep_c / base_c if base_c else float('nan'):10.2f}")  # fmt: skip
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
