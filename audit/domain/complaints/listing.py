"""Listing complaints: filters and paging done by the database (a million rows is the scale).

Newest first by id: the primary-key index serves the order, so a page costs the same on the
first and the millionth row's neighbourhood, and no count of the whole table is needed (the
caller asks one row more than it shows to know whether a next page exists).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from audit.db import engine
from audit.errors import DomainError

MAX_LIMIT = 500
COLUMNS = (
    "id", "source", "external_id", "key", "operator", "region", "region_resolved", "issue",
    "issue_mapped", "classified", "received_at", "received_on", "channel", "summary",
    "duplicate_of", "duplicate_state",
)  # fmt: skip
DUPLICATE_FILTERS = ("pending", "confirmed", "rejected")


@dataclass(frozen=True)
class ComplaintFilter:
    operator_id: int | None = None
    region: str | None = None  # a region key (GB/T 2260 code), or a 2-digit province prefix
    issue: str | None = None
    source: str | None = None
    since: dt.date | None = None  # received on or after (regulator's calendar)
    until: dt.date | None = None  # received on or before
    text: str | None = None  # part of the summary or external id
    duplicate: str | None = None  # review state of flagged duplicates (DUPLICATE_FILTERS)

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise DomainError("since is after until", field="since")
        if self.duplicate and self.duplicate not in DUPLICATE_FILTERS:
            raise DomainError(
                f"duplicate must be one of {', '.join(DUPLICATE_FILTERS)}", field="duplicate"
            )


def _date(value: dt.date, pg: bool) -> Any:
    # SQLite stores dates as ISO text: compare text with text.
    return value if pg else value.isoformat()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where_clause(f: ComplaintFilter, pg: bool) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if f.operator_id is not None:
        clauses.append("c.operator = {}")
        args.append(f.operator_id)
    if f.region:
        if len(f.region) == 2 and f.region.isdigit():  # a province: its prefectures' codes
            clauses.append("c.region LIKE {}")
            args.append(f.region + "%")
        else:
            clauses.append("c.region = {}")
            args.append(f.region)
    if f.issue:
        clauses.append("c.issue = {}")
        args.append(f.issue)
    if f.source:
        clauses.append("c.source = {}")
        args.append(f.source)
    if f.since:
        clauses.append("c.received_on >= {}")
        args.append(_date(f.since, pg))
    if f.until:
        clauses.append("c.received_on <= {}")
        args.append(_date(f.until, pg))
    if f.duplicate:
        # the partial index on duplicate_of serves this (flagged complaints are few)
        clauses.append("c.duplicate_of IS NOT NULL AND c.duplicate_state = {}")
        args.append(f.duplicate)
    if f.text:
        clauses.append("(c.summary LIKE {} ESCAPE '\\' OR c.external_id LIKE {} ESCAPE '\\')")
        args += [_like(f.text), _like(f.text)]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args


async def get_row(complaint_id: int) -> dict[str, Any] | None:
    """One complaint shaped as in the list."""
    rows = await _select("WHERE c.id = {}", [complaint_id], 1, 0)
    return rows[0] if rows else None


async def list_complaints(
    f: ComplaintFilter, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Complaints matching ``f``, newest first, with the operator's name."""
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    where, args = where_clause(f, isinstance(engine(), PostgresEngine))
    return await _select(where, args, limit, offset)


async def _select(where: str, args: list[Any], limit: int, offset: int) -> list[dict[str, Any]]:
    db = engine()
    cols = ", ".join(f"c.{c}" for c in COLUMNS)
    sql = (
        f'SELECT {cols}, o.name AS operator_name FROM complaint c JOIN "operator" o'
        f" ON o.id = c.operator {where} ORDER BY c.id DESC LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    rows = await db.run_querystring(QueryString(sql, *args))
    out = []
    for r in rows:
        d = dict(r)
        for k in ("region_resolved", "issue_mapped", "classified"):
            d[k] = bool(d[k])
        d["received_on"] = str(d["received_on"])[:10]
        at = d["received_at"]
        d["received_at"] = at.isoformat() if isinstance(at, dt.datetime) else at
        out.append(d)
    return out
