"""Bench: server time of every web list page at issue 15's scale, beside the same JSON API call.

With 10,000 plans and inspections, 100,000 probe runs, 1,000,000 complaints and a 1,000,000-
entry audit log in PostgreSQL (bench/list_pages_seed.py), each registered page is requested
N times through the app in this process (ASGI, the PostgreSQL pool on, as in production) and
its p50/p95 printed next to the JSON API list call that shows the same records, measured in
the same run. Goal: page p95 ≤ 100 ms. The ratio page/API says what rendering costs. The
app's own CPU time per request is printed too: on a busy machine wall times mostly measure
the wait for a core, CPU time does not (database time is not in it).

The registry is ``PAGES`` below: a helper adding a list page adds one line (its URL, the role
that sees it, and the API call it mirrors).

Usage: .venv/bin/python bench/list_pages.py [--requests 50] [--only NAME] [--keep]
Needs PostgreSQL (AUDIT_BENCH_PG, default postgresql://postgres@127.0.0.1:5432); it creates
and drops its own database (``--keep`` keeps it and prints its URL, to re-run with ``--reuse``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("AUDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("AUDIT_BENCH_DB", f"sqa_bench_lists_{os.getpid()}")
os.environ["AUDIT_DATABASE_URL"] = f"{PG}/{DB_NAME}"
os.environ.setdefault("AUDIT_LOG_LEVEL", "WARNING")
os.environ["AUDIT_DB_POOL"] = "true"
os.environ["AUDIT_EMBEDDED_JOBS"] = "false"  # the web process only: no scheduler beside it
os.environ.setdefault("AUDIT_VAR_DIR", f"/tmp/{DB_NAME}-var")
GOAL_MS = 100.0


@dataclass(frozen=True)
class ListPage:
    name: str
    role: str  # the seeded user who opens it (admin, supervisor, inspector1, analyst)
    page: str  # the HTML page
    api: str | None  # the JSON API call listing the same records (None: there is none)


PAGES: list[ListPage] = [
    ListPage(
        "dashboard (supervisor)", "supervisor", "/", "/complaints/triggers?status=new&limit=10"
    ),
    ListPage("dashboard (inspector)", "inspector1", "/", "/inspections?plan_id=1"),
    ListPage("dashboard (analyst)", "analyst", "/", "/notices?limit=10"),
    ListPage("operators", "supervisor", "/ui/operators", "/operators"),
    ListPage("operators, search", "supervisor", "/ui/operators?q=01", "/operators"),
    ListPage("checklists", "supervisor", "/ui/checklists", "/checklists"),
    ListPage("plans", "supervisor", "/ui/plans", "/plans?limit=50"),
    ListPage(
        "plans, by status, page 20",
        "supervisor",
        "/ui/plans?status=completed&offset=950",
        "/plans?status=completed&limit=50&offset=950",
    ),
    ListPage("plans (inspector)", "inspector1", "/ui/plans", "/plans?limit=50"),
    ListPage(
        "plan coverage, five years",
        "analyst",
        "/ui/coverage?year=2025",
        "/plans/coverage?year=2025",
    ),
    ListPage("inspections (inspector)", "inspector1", "/ui/inspections", "/inspections?limit=50"),
    ListPage("inspections (supervisor)", "supervisor", "/ui/inspections", "/inspections?limit=50"),
    ListPage("probe runs", "supervisor", "/ui/probe-runs", "/probe-runs?limit=50"),
    ListPage("probe runs (inspector)", "inspector1", "/ui/probe-runs", "/probe-runs?limit=50"),
    ListPage(
        "probe runs, by operator",
        "supervisor",
        "/ui/probe-runs?operator_id=1",
        "/probe-runs?operator_id=1&limit=50",
    ),
    ListPage("campaigns", "supervisor", "/ui/campaigns", "/campaigns"),
    ListPage("campaigns (inspector)", "inspector1", "/ui/campaigns", "/campaigns"),
    ListPage("audit log", "supervisor", "/ui/audit-log", "/audit-log?limit=50"),
    ListPage(
        "audit log, by record type",
        "supervisor",
        "/ui/audit-log?entity=probe_run",
        "/audit-log?entity=probe_run&limit=50",
    ),
    ListPage(
        "audit log, page 200",
        "supervisor",
        "/ui/audit-log?offset=10000",
        "/audit-log?limit=50&offset=10000",
    ),
    ListPage(
        "audit log, by actor and date",
        "supervisor",
        "/ui/audit-log?actor_id=2&since=2025-03-01&until=2025-03-02",
        None,
    ),
    ListPage("complaints", "analyst", "/ui/complaints", "/complaints?limit=50"),
    ListPage(
        "complaints, by operator and issue",
        "analyst",
        "/ui/complaints?operator_id=1&issue=billing",
        "/complaints?operator_id=1&issue=billing&limit=50",
    ),
    ListPage(
        "complaint triggers", "analyst", "/ui/complaints/triggers", "/complaints/triggers?limit=50"
    ),
    ListPage("published notices", "analyst", "/public/notices", "/notices?status=issued&limit=50"),
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


CPU: dict[str, list[float]] = {}  # url → this process's CPU ms per request (load-independent)


async def _timed(client: object, url: str, headers: dict[str, str], n: int) -> list[float]:
    times, cpu = [], []
    for i in range(n + 3):  # three warm-up requests
        t0, c0 = time.perf_counter(), time.process_time()
        r = await client.get(url, headers=headers)  # type: ignore[attr-defined]
        elapsed = (time.perf_counter() - t0) * 1000
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code} {r.text[:300]}")
        if i >= 3:
            times.append(elapsed)
            cpu.append((time.process_time() - c0) * 1000)
    CPU[url] = cpu
    return times


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--only", default=None, help="run the pages whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the seeded database")
    ap.add_argument("--reuse", action="store_true", help="use AUDIT_BENCH_DB as seeded before")
    ap.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the issue's sizes (trial runs)"
    )
    args = ap.parse_args()

    import logging

    import asyncpg
    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise

    admin = await asyncpg.connect(f"{PG}/postgres")
    if not args.reuse:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        await admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        from audit.db import migrate

        await migrate()  # a reused database gets migrations added since it was seeded
        if not args.reuse:
            from bench.list_pages_seed import SCALE, seed

            t0 = time.perf_counter()
            conn = await asyncpg.connect(os.environ["AUDIT_DATABASE_URL"])
            try:
                sizes = {
                    k: max(1, int(v * args.scale))
                    for k, v in SCALE.items()
                    if k not in ("operators", "venues_per_operator", "runs_per_campaign")
                }
                await seed(conn, sizes)
            finally:
                await conn.close()
            print(
                f"seeded in {time.perf_counter() - t0:.0f} s: "
                + ", ".join(f"{v:,} {k}" for k, v in sizes.items())
            )

        from audit.core import build_app
        from audit.domain.accounts.passwords import new_token

        app = build_app()
        conn = await asyncpg.connect(os.environ["AUDIT_DATABASE_URL"])
        tokens: dict[str, str] = {}
        sessions: dict[str, str] = {}
        try:
            import datetime as dt

            from audit.domain.accounts.passwords import digest

            for row in await conn.fetch("SELECT id, username FROM app_user"):
                token, ses = new_token("sqa"), new_token("ses")
                await conn.execute(
                    'INSERT INTO api_token ("user", name, token_hash, prefix, created_at, revoked)'
                    " VALUES ($1, 'bench', $2, $3, now(), false)",
                    row["id"],
                    digest(token),
                    token[:12],
                )
                await conn.execute(
                    'INSERT INTO web_session ("user", token_hash, created_at, expires_at)'
                    " VALUES ($1, $2, now(), $3)",
                    row["id"],
                    digest(ses),
                    dt.datetime.now(dt.UTC) + dt.timedelta(hours=2),
                )
                tokens[row["username"]], sessions[row["username"]] = token, ses
        finally:
            await conn.close()

        from audit.settings import get_settings

        cookie = get_settings().session_cookie
        transport = httpx.ASGITransport(app=app)
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="https://bench.local") as client,
        ):
            rows = []
            for p in PAGES:
                if args.only and args.only not in p.name:
                    continue
                page = await _timed(
                    client, p.page, {"Cookie": f"{cookie}={sessions[p.role]}"}, args.requests
                )
                api = (
                    await _timed(
                        client,
                        p.api,
                        {"Authorization": f"Bearer {tokens[p.role]}"},
                        args.requests,
                    )
                    if p.api
                    else None
                )
                rows.append((p, page, api))
                api_text = f"{pct(api, 0.95):7.1f}" if api else "      —"
                ratio = f"{pct(page, 0.95) / pct(api, 0.95):5.2f}" if api else "    —"
                verdict = "ok" if pct(page, 0.95) <= GOAL_MS else "SLOW"
                print(
                    f"{p.name:34s} page p50 {statistics.median(page):6.1f} p95 {pct(page, 0.95):6.1f} ms"
                    f" | API p95 {api_text} ms | page/API {ratio} | {verdict}"
                    f" | app CPU p95 page {pct(CPU[p.page], 0.95):5.1f}"
                    + (f" API {pct(CPU[p.api], 0.95):5.1f} ms" if p.api else " ms"),
                    flush=True,
                )
        worst = max(pct(page, 0.95) for _, page, _ in rows)
        print(
            f"worst page p95 {worst:.1f} ms (goal ≤ {GOAL_MS:.0f} ms): {'ok' if worst <= GOAL_MS else 'SLOW'}"
        )
    finally:
        from audit.db import stop

        await stop()
        if args.keep:
            print(
                f"kept database: {os.environ['AUDIT_DATABASE_URL']} (re-run with AUDIT_BENCH_DB={DB_NAME} --reuse)"
            )
        else:
            await admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
