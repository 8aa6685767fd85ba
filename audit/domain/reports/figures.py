"""The public quality report's figures as SQL aggregates (docs/reports.md defines each one).

Every figure is one GROUP BY over the stored runs or complaints of the period and scope, so
the database does the counting (100,000 runs and 1,000,000 complaints: bench/public_report.py)
and Python only turns counts into rates and intervals. The SQL text and its parameters are
returned with the figures: the draft's appendix stores them, so each number can be traced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from audit.db import engine

# seed 002 §3.4: answered within three rings, 5 s apart.
SERVICE_LEVEL_S = 15.0
# seed 000: first response ≤ 45 s, ≤ 60 s for an agent serving > 300 sessions a day.
FIRST_RESPONSE_S = 45.0
FIRST_RESPONSE_BUSY_S = 60.0
BUSY_SESSIONS = 300
ATTEMPT_OUTCOMES = ("answered", "busy", "no_answer")
ENDED = ("completed", "analysis_failed")  # runs with a telephony result
ISSUED = ("issued", "delivered", "acknowledged", "superseded", "revoked")


@dataclass(frozen=True)
class Window:
    start_at: dt.datetime  # UTC instant of the period's first local midnight
    end_at: dt.datetime  # UTC instant of the local midnight after its last day
    start_on: dt.date
    end_on: dt.date  # first day after
    province: str | None  # 2-digit GB/T 2260 province prefix; None: the nation
    # the previous period's start: the queries read both periods in one pass and tell them
    # apart by a ``cur`` column (1: this period, 0: the previous one)
    prev_start_at: dt.datetime | None = None
    prev_start_on: dt.date | None = None


class Dialect:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, pg: bool) -> None:
        self.pg = pg

    def doc(self, column: str) -> str:
        # PostgreSQL json is text, re-parsed at every ->; parse once per row into jsonb
        return f"{column}::jsonb" if self.pg else column

    def fence(self) -> str:
        # keeps PostgreSQL from inlining the subquery (and parsing the JSON once per use)
        return " OFFSET 0" if self.pg else ""

    def num(self, column: str, *path: str) -> str:
        if self.pg:
            return f"({self.text(column, *path)})::float"
        return f"CAST(json_extract({column}, '$.{'.'.join(path)}') AS REAL)"

    def text(self, column: str, *path: str) -> str:
        if self.pg:
            head = "".join(f"->'{p}'" for p in path[:-1])
            return f"({column}{head}->>'{path[-1]}')"
        return f"json_extract({column}, '$.{'.'.join(path)}')"

    def item_counts(self, column: str) -> tuple[str, str, str]:
        """Per run: (a FROM-clause addition, items passed, items passed or failed) over the
        checklist items in ``column.items`` (``na`` left out). PostgreSQL: one LATERAL pass
        over the array; SQLite: two correlated sub-queries (it has no LATERAL)."""
        if self.pg:
            return (
                " LEFT JOIN LATERAL (SELECT"
                " COUNT(*) FILTER (WHERE e->>'result' = 'pass') AS p,"
                " COUNT(*) FILTER (WHERE e->>'result' IN ('pass', 'fail')) AS n"
                f" FROM jsonb_array_elements({column}->'items') e) it ON true",
                "it.p",
                "it.n",
            )

        def count(results: str) -> str:
            return (
                f"(SELECT COUNT(*) FROM json_each({column}, '$.items') e"
                f" WHERE json_extract(e.value, '$.result') IN ({results}))"
            )

        return "", count("'pass'"), count("'pass', 'fail'")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


TS = "COALESCE(r.started_at, r.created_at)"


def _run_scope(w: Window, args: list[Any], both: bool = True) -> str:
    """The runs' time range (both periods, or only the current one) and province."""
    args += [(w.prev_start_at or w.start_at) if both else w.start_at, w.end_at]
    clause = f"{TS} >= {{}} AND {TS} < {{}}"
    if w.province:
        args.append(w.province + "%")
        clause += " AND v.region_code LIKE {}"
    return clause


def _cur(w: Window, args: list[Any], column: str = TS, day: bool = False) -> str:
    args.append(w.start_on if day else w.start_at)
    return f"CASE WHEN {column} >= {{}} THEN 1 ELSE 0 END"


def voice_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    args: list[Any] = []
    cur = _cur(w, args)
    m = "x.m"
    inner = (
        f"SELECT r.operator AS operator, {cur} AS cur, r.outcome AS outcome,"
        f" {d.doc('r.measures')} AS m FROM probe_run r LEFT JOIN venue v ON v.id = r.venue"
        f" WHERE r.kind = 'voice' AND r.status IN {_in(ENDED)}"
        f" AND r.outcome IN {_in(ATTEMPT_OUTCOMES)} AND r.operator IS NOT NULL"
        f" AND {_run_scope(w, args)}{d.fence()}"
    )
    mid = (
        "SELECT x.operator AS operator, x.cur AS cur,"
        " CASE WHEN x.outcome = 'answered' THEN 1 ELSE 0 END AS ans,"
        f" {d.num(m, 'answer_seconds')} AS secs, {d.text(m, 'silent_call', 'verdict')} AS silent,"
        f" {d.text(m, 'greeting', 'verdict')} AS greet FROM ({inner}) x"
    )
    args.insert(0, SERVICE_LEVEL_S)  # placeholders bind in text order: the outer one first
    median = (
        ", percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN ans = 1 THEN secs END) AS median_s"
        if d.pg
        else ""
    )
    sql = (
        "SELECT operator, cur, COUNT(*) AS attempts, SUM(ans) AS answered,"
        " SUM(CASE WHEN ans = 1 AND secs <= CAST({} AS DOUBLE PRECISION) THEN 1 ELSE 0 END)"
        " AS in_time, SUM(CASE WHEN ans = 1 THEN secs END) AS seconds_sum,"
        " SUM(CASE WHEN ans = 1 AND secs IS NOT NULL THEN 1 ELSE 0 END) AS timed,"
        " SUM(CASE WHEN ans = 1 AND silent = 'pass' THEN 1 ELSE 0 END) AS silent_pass,"
        " SUM(CASE WHEN ans = 1 AND silent IN ('pass', 'fail') THEN 1 ELSE 0 END) AS silent_n,"
        " SUM(CASE WHEN ans = 1 AND greet = 'pass' THEN 1 ELSE 0 END) AS greeting_pass,"
        " SUM(CASE WHEN ans = 1 AND greet IN ('pass', 'fail') THEN 1 ELSE 0 END) AS greeting_n"
        f"{median} FROM ({mid}) y GROUP BY operator, cur"
    )
    return sql, args


def median_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    """SQLite has no percentile: the middle row(s) by window functions (same definition)."""
    secs = d.num("r.measures", "answer_seconds")
    args: list[Any] = []
    cur = _cur(w, args)
    sql = (
        "SELECT operator, cur, AVG(s) AS median_s FROM (SELECT operator, cur, s,"
        " ROW_NUMBER() OVER (PARTITION BY operator, cur ORDER BY s) AS rn,"
        " COUNT(*) OVER (PARTITION BY operator, cur) AS n FROM (SELECT r.operator AS operator,"
        f" {cur} AS cur, {secs} AS s FROM probe_run r LEFT JOIN venue v ON v.id = r.venue"
        f" WHERE r.kind = 'voice' AND r.status IN {_in(ENDED)} AND r.outcome = 'answered'"
        f" AND r.operator IS NOT NULL AND {secs} IS NOT NULL AND {_run_scope(w, args)}) a) m"
        " WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY operator, cur"
    )
    return sql, args


def chat_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    """Chats, first responses and every checklist item of every chat, in one pass over the
    chat runs (each run's measures and observations parsed once)."""
    args: list[Any] = []
    cur = _cur(w, args)
    frs = d.num("x.m", "first_response_seconds")
    inner = (
        f"SELECT r.operator AS operator, {cur} AS cur, COALESCE(v.sessions_per_day, 0) AS spd,"
        f" {d.doc('r.measures')} AS m, {d.doc('r.observations')} AS o"
        " FROM probe_run r LEFT JOIN venue v ON v.id = r.venue"
        " WHERE r.kind = 'chat' AND r.status = 'completed' AND r.measures IS NOT NULL"
        f" AND r.operator IS NOT NULL AND {_run_scope(w, args)}{d.fence()}"
    )
    items_from, pass_, judged = d.item_counts("x.o")
    args[:0] = [BUSY_SESSIONS, FIRST_RESPONSE_BUSY_S, FIRST_RESPONSE_S]  # text order
    sql = (
        "SELECT operator, cur, COUNT(*) AS chats, SUM(CASE WHEN frs IS NOT NULL THEN 1 ELSE 0"
        " END) AS first_n, SUM(CASE WHEN frs <= (CASE WHEN spd > {}"
        " THEN CAST({} AS DOUBLE PRECISION) ELSE CAST({} AS DOUBLE PRECISION) END)"
        " THEN 1 ELSE 0 END) AS first_ok, SUM(items_pass) AS items_pass,"
        " SUM(items_n) AS items_n FROM (SELECT x.operator AS operator, x.cur AS cur,"
        f" x.spd AS spd, {frs} AS frs, {pass_} AS items_pass, {judged} AS items_n"
        f" FROM ({inner}) x{items_from}) y GROUP BY operator, cur"
    )
    return sql, args


def complaints_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    args: list[Any] = []
    cur = _cur(w, args, "received_on", day=True)
    args += [w.prev_start_on or w.start_on, w.end_on]
    region = ""
    if w.province:
        args.append(w.province + "%")
        region = " AND region LIKE {}"
    sql = (
        f"SELECT operator, {cur} AS cur, issue, COUNT(*) AS n FROM complaint"
        f" WHERE received_on >= {{}} AND received_on < {{}}{region} GROUP BY 1, 2, 3"
    )
    return sql, args


def actions_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    """Supervision actions of the period (MIIT lists them): rectification notices and
    self-inspection orders issued, per operator."""
    args: list[Any] = []
    cur = _cur(w, args, "issue_date", day=True)
    args += [w.prev_start_on or w.start_on, w.end_on]
    sql = (
        f"SELECT operator, {cur} AS cur, notice_type, COUNT(*) AS n FROM notice"
        f" WHERE status IN {_in(ISSUED)} AND notice_type IN ('rectification', 'self_inspection')"
        " AND operator IS NOT NULL AND issue_date >= {} AND issue_date < {}"
        " GROUP BY 1, 2, 3"
    )
    return sql, args


QUERIES = {
    "voice": voice_sql,
    "chat": chat_sql,  # chats, first responses and checklist items
    "complaints": complaints_sql,
    "actions": actions_sql,
}
# PostgreSQL: the voice query's ordered-set aggregate (the median) sorts the period's answered
# runs; with the default 4 MB that sort spills to disk at 100,000 runs.
REPORT_WORK_MEM = "64MB"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


async def run_all(w: Window) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Rows of every query (both periods, told apart by ``cur``), and the queries as run
    (SQL with ``{}`` placeholders, and the parameters)."""
    db = engine()
    d = Dialect(isinstance(db, PostgresEngine))
    queries = dict(QUERIES)
    if not d.pg:
        queries["median"] = median_sql
    rows: dict[str, list[dict[str, Any]]] = {}
    inputs: dict[str, Any] = {}
    built = {name: build(d, w) for name, build in queries.items()}
    async with _snapshot(db, d.pg):
        for name, (sql, args) in built.items():
            rows[name] = [dict(r) for r in await db.run_querystring(QueryString(sql, *args))]
            inputs[name] = {"sql": sql, "params": [_plain(a) for a in args]}
    return rows, inputs


@asynccontextmanager
async def _snapshot(db: Any, pg: bool) -> AsyncIterator[None]:
    """PostgreSQL: every query of one report in one read-only REPEATABLE READ transaction (all
    figures from the same snapshot), with room for the median's sort in memory."""
    if not pg:
        yield
        return
    if db.current_transaction.get() is not None:  # inside the caller's: its snapshot rules
        await db.run_ddl(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        yield
        return
    async with db.transaction():
        await db.run_ddl("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        await db.run_ddl(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        yield


TRACE_LIMIT = 50_000  # ids kept per operator and kind in the appendix


async def trace(w: Window) -> dict[int, dict[str, Any]]:
    """Ids of the runs and complaints behind each operator's figures (the appendix): voice
    attempts and completed chats of the window, complaints received in it."""
    db = engine()
    args: list[Any] = []
    runs = (
        "SELECT r.operator AS operator, r.id AS id, r.kind AS kind FROM probe_run r"
        " LEFT JOIN venue v ON v.id = r.venue WHERE r.operator IS NOT NULL AND"
        f" ((r.kind = 'voice' AND r.status IN {_in(ENDED)} AND r.outcome IN"
        f" {_in(ATTEMPT_OUTCOMES)}) OR (r.kind = 'chat' AND r.status = 'completed'"
        f" AND r.measures IS NOT NULL)) AND {_run_scope(w, args, both=False)} ORDER BY r.id"
    )
    out: dict[int, dict[str, Any]] = {}

    def slot(op: int) -> dict[str, Any]:
        return out.setdefault(op, {"probe_run_ids": [], "complaint_ids": [], "truncated": False})

    for r in await db.run_querystring(QueryString(runs, *args)):
        ids = slot(r["operator"])["probe_run_ids"]
        if len(ids) < TRACE_LIMIT:
            ids.append(r["id"])
        else:
            slot(r["operator"])["truncated"] = True
    cargs: list[Any] = [w.start_on, w.end_on]
    region = ""
    if w.province:
        cargs.append(w.province + "%")
        region = " AND region LIKE {}"
    sql = (
        "SELECT operator, id FROM complaint WHERE received_on >= {} AND received_on < {}"
        f"{region} ORDER BY id"
    )
    for r in await db.run_querystring(QueryString(sql, *cargs)):
        ids = slot(r["operator"])["complaint_ids"]
        if len(ids) < TRACE_LIMIT:
            ids.append(r["id"])
        else:
            slot(r["operator"])["truncated"] = True
    return out
