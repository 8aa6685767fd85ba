"""The public quality report's figures as SQL aggregates (docs/reports.md defines each one).

Every figure is one GROUP BY over the stored runs or complaints of the period and scope, so
the database does the counting (100,000 runs and 1,000,000 complaints: bench/public_report.py)
and Python only turns counts into rates and intervals. The SQL text and its parameters are
returned with the figures: the draft's appendix stores them, so each number can be traced.
"""

from __future__ import annotations

import datetime as dt
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


class Dialect:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, pg: bool) -> None:
        self.pg = pg

    def num(self, column: str, *path: str) -> str:
        if self.pg:
            return f"({self.text(column, *path)})::float"
        return f"CAST(json_extract({column}, '$.{'.'.join(path)}') AS REAL)"

    def text(self, column: str, *path: str) -> str:
        if self.pg:
            head = "".join(f"->'{p}'" for p in path[:-1])
            return f"({column}{head}->>'{path[-1]}')"
        return f"json_extract({column}, '$.{'.'.join(path)}')"

    def items(self, column: str) -> tuple[str, str]:
        """(FROM-clause table function over ``column.items``, an item's result expression)."""
        if self.pg:
            return f"json_array_elements({column}->'items') AS it", "(it->>'result')"
        return f"json_each({column}, '$.items') AS it", "json_extract(it.value, '$.result')"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _run_scope(w: Window, args: list[Any]) -> str:
    args += [w.start_at, w.end_at]
    clause = (
        "COALESCE(r.started_at, r.created_at) >= {} AND COALESCE(r.started_at, r.created_at) < {}"
    )
    if w.province:
        args.append(w.province + "%")
        clause += " AND v.region_code LIKE {}"
    return clause


def voice_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    secs = d.num("r.measures", "answer_seconds")
    silent = d.text("r.measures", "silent_call", "verdict")
    greet = d.text("r.measures", "greeting", "verdict")
    ans = "r.outcome = 'answered'"
    args: list[Any] = [SERVICE_LEVEL_S]
    median = (
        f", percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN {ans} THEN {secs} END)"
        " AS median_s"
        if d.pg
        else ""
    )
    sql = (
        "SELECT r.operator AS operator, COUNT(*) AS attempts,"
        f" SUM(CASE WHEN {ans} THEN 1 ELSE 0 END) AS answered,"
        f" SUM(CASE WHEN {ans} AND {secs} <= CAST({{}} AS DOUBLE PRECISION) THEN 1 ELSE 0 END)"
        " AS in_time,"
        f" SUM(CASE WHEN {ans} THEN {secs} END) AS seconds_sum,"
        f" SUM(CASE WHEN {ans} AND {secs} IS NOT NULL THEN 1 ELSE 0 END) AS timed,"
        f" SUM(CASE WHEN {ans} AND {silent} = 'pass' THEN 1 ELSE 0 END) AS silent_pass,"
        f" SUM(CASE WHEN {ans} AND {silent} IN ('pass', 'fail') THEN 1 ELSE 0 END) AS silent_n,"
        f" SUM(CASE WHEN {ans} AND {greet} = 'pass' THEN 1 ELSE 0 END) AS greeting_pass,"
        f" SUM(CASE WHEN {ans} AND {greet} IN ('pass', 'fail') THEN 1 ELSE 0 END) AS greeting_n"
        f"{median}"
        " FROM probe_run r LEFT JOIN venue v ON v.id = r.venue"
        f" WHERE r.kind = 'voice' AND r.status IN {_in(ENDED)}"
        f" AND r.outcome IN {_in(ATTEMPT_OUTCOMES)} AND r.operator IS NOT NULL"
        f" AND {_run_scope(w, args)} GROUP BY r.operator"
    )
    return sql, args


def median_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    """SQLite has no percentile: the middle row(s) by window functions (same definition)."""
    secs = d.num("r.measures", "answer_seconds")
    args: list[Any] = []
    sql = (
        "SELECT operator, AVG(s) AS median_s FROM (SELECT r.operator AS operator, "
        f"{secs} AS s, ROW_NUMBER() OVER (PARTITION BY r.operator ORDER BY {secs}) AS rn,"
        " COUNT(*) OVER (PARTITION BY r.operator) AS n"
        " FROM probe_run r LEFT JOIN venue v ON v.id = r.venue"
        f" WHERE r.kind = 'voice' AND r.status IN {_in(ENDED)} AND r.outcome = 'answered'"
        f" AND r.operator IS NOT NULL AND {secs} IS NOT NULL AND {_run_scope(w, args)}) m"
        " WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY operator"
    )
    return sql, args


def chat_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    frs = d.num("r.measures", "first_response_seconds")
    args: list[Any] = [BUSY_SESSIONS, FIRST_RESPONSE_BUSY_S, FIRST_RESPONSE_S]
    sql = (
        "SELECT r.operator AS operator, COUNT(*) AS chats,"
        f" SUM(CASE WHEN {frs} IS NOT NULL THEN 1 ELSE 0 END) AS first_n,"
        f" SUM(CASE WHEN {frs} <= (CASE WHEN COALESCE(v.sessions_per_day, 0) > {{}}"
        " THEN CAST({} AS DOUBLE PRECISION) ELSE CAST({} AS DOUBLE PRECISION) END)"
        " THEN 1 ELSE 0 END) AS first_ok"
        " FROM probe_run r LEFT JOIN venue v ON v.id = r.venue"
        " WHERE r.kind = 'chat' AND r.status = 'completed' AND r.measures IS NOT NULL"
        f" AND r.operator IS NOT NULL AND {_run_scope(w, args)} GROUP BY r.operator"
    )
    return sql, args


def chat_items_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    table, result = d.items("r.observations")
    args: list[Any] = []
    sql = (
        "SELECT r.operator AS operator,"
        f" SUM(CASE WHEN {result} = 'pass' THEN 1 ELSE 0 END) AS items_pass,"
        f" SUM(CASE WHEN {result} IN ('pass', 'fail') THEN 1 ELSE 0 END) AS items_n"
        f" FROM probe_run r LEFT JOIN venue v ON v.id = r.venue, {table}"
        " WHERE r.kind = 'chat' AND r.status = 'completed' AND r.observations IS NOT NULL"
        f" AND r.operator IS NOT NULL AND {_run_scope(w, args)} GROUP BY r.operator"
    )
    return sql, args


def complaints_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    args: list[Any] = [w.start_on, w.end_on]
    region = ""
    if w.province:
        args.append(w.province + "%")
        region = " AND region LIKE {}"
    sql = (
        "SELECT operator, issue, COUNT(*) AS n FROM complaint"
        " WHERE received_on >= {} AND received_on < {}"
        f"{region} GROUP BY operator, issue"
    )
    return sql, args


def actions_sql(d: Dialect, w: Window) -> tuple[str, list[Any]]:
    """Supervision actions of the period (MIIT lists them): rectification notices and
    self-inspection orders issued, per operator."""
    args: list[Any] = [w.start_on, w.end_on]
    sql = (
        "SELECT operator, notice_type, COUNT(*) AS n FROM notice"
        f" WHERE status IN {_in(ISSUED)} AND notice_type IN ('rectification', 'self_inspection')"
        " AND operator IS NOT NULL AND issue_date >= {} AND issue_date < {}"
        " GROUP BY operator, notice_type"
    )
    return sql, args


QUERIES = {
    "voice": voice_sql,
    "chat": chat_sql,
    "chat_items": chat_items_sql,
    "complaints": complaints_sql,
    "actions": actions_sql,
}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


async def run_all(w: Window) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Rows of every query, and the queries as run (SQL with ``{}`` placeholders, params)."""
    db = engine()
    d = Dialect(isinstance(db, PostgresEngine))
    queries = dict(QUERIES)
    if not d.pg:
        queries["median"] = median_sql
    rows: dict[str, list[dict[str, Any]]] = {}
    inputs: dict[str, Any] = {}
    for name, build in queries.items():
        sql, args = build(d, w)
        rows[name] = [dict(r) for r in await db.run_querystring(QueryString(sql, *args))]
        inputs[name] = {"sql": sql, "params": [_plain(a) for a in args]}
    return rows, inputs


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
        f" AND r.measures IS NOT NULL)) AND {_run_scope(w, args)} ORDER BY r.id"
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
