"""Set-based database work for complaints, on PostgreSQL (asyncpg) and SQLite (aiosqlite).

Bulk paths bypass the ORM on purpose: one COPY (PostgreSQL) or executemany (SQLite) per table
inside the caller's Piccolo transaction, with ids assigned here so that triggers can refer to
complaints without reading them back. Every writer of these tables takes the same lock first.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import TransactionType

from audit.db import engine
from audit.domain.complaints.trigger import Point

COMPLAINT_COLUMNS = (
    "id", "source", "external_id", "key", "operator", "region", "region_resolved", "issue",
    "issue_mapped", "classified", "classified_by", "received_at", "received_on", "channel",
    "summary", "text", "summary_hash", "contact_hash", "duplicate_of", "duplicate_state",
)  # fmt: skip
# A complaint the trigger counts: not a duplicate, or one a reviewer rejected as a duplicate.
COUNTED = "duplicate_state NOT IN ('pending', 'confirmed')"
KEY_COLUMNS = (
    "id", "operator", "operator_given", "region_key", "region_given", "region_resolved", "issue",
    "issue_mapped",
)  # fmt: skip
TRIGGER_COLUMNS = (
    "id", "key", "operator", "fired_on", "complaint_ids", "external_ids", "count_at_firing",
    "joined_count", "status", "order_ref", "plan_ref", "followup_note", "superseded_at",
    "created_at", "updated_at",
)  # fmt: skip
# created_at is left to the column default (current_timestamp): one value less per row to send.
# One application-wide lock for writers of complaint tables (ids and trigger recomputation).
LOCK_ID = 7_000_007


class Store:
    """Raw access through the connection of the current Piccolo transaction."""

    def __init__(self, conn: Any, postgres: bool) -> None:
        self.conn = conn
        self.pg = postgres

    # ---- basics ---------------------------------------------------------------------------
    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        if self.pg:
            return [tuple(r) for r in await self.conn.fetch(sql, *args)]
        cur = await self.conn.execute(_qmarks(sql), args)
        rows = await cur.fetchall()
        await cur.close()
        # Piccolo's SQLite connections return dicts (its row factory).
        return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]

    async def execute(self, sql: str, *args: Any) -> None:
        if self.pg:
            await self.conn.execute(sql, *args)
        else:
            await (await self.conn.execute(_qmarks(sql), args)).close()

    async def lock(self) -> None:
        if self.pg:
            await self.conn.execute("SELECT pg_advisory_xact_lock($1)", LOCK_ID)
        # SQLite: the transaction is BEGIN IMMEDIATE, which already excludes other writers.

    async def reserve_ids(self, table: str, n: int) -> int:
        """First of ``n`` fresh consecutive ids for ``table`` (call after :meth:`lock`)."""
        if self.pg:
            seq = f"{table}_id_seq"
            first = await self.conn.fetchval(f"SELECT nextval('{seq}')")
            if n > 1:
                await self.conn.execute(f"SELECT setval('{seq}', $1)", first + n - 1)
            return int(first)
        rows = await self.fetch(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return int(rows[0][0]) + 1

    async def insert_returning_id(
        self, table: str, columns: Sequence[str], values: Sequence[Any]
    ) -> int:
        """Insert one row, the id from the table's sequence (call after :meth:`lock`)."""
        cols = ", ".join(f'"{c}"' for c in columns)
        if self.pg:
            marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING id"
            return int(await self.conn.fetchval(sql, *values))
        new_id = await self.reserve_ids(table, 1)
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        await self.execute(f'INSERT INTO {table} ("id", {cols}) VALUES ({marks})', new_id, *values)
        return new_id

    async def flag_duplicates(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Mark complaints as duplicates awaiting review: (first complaint id, complaint id)."""
        sql = "UPDATE complaint SET duplicate_of = $1, duplicate_state = 'pending' WHERE id = $2"
        if self.pg:
            await self.conn.executemany(sql, pairs)
        else:
            await self.conn.executemany(_qmarks(sql), pairs)

    async def set_next_id(self, table: str, next_id: int) -> None:
        """After assigning ids up to ``next_id - 1`` by hand (under the lock)."""
        if self.pg:
            await self.conn.execute(
                f"SELECT setval('{table}_id_seq', GREATEST($1, (SELECT last_value FROM"
                f" {table}_id_seq)))",
                next_id - 1,
            )
        # SQLite: ids come from MAX(id) + 1, nothing to move.

    async def insert_many(
        self, table: str, columns: Sequence[str], rows: Iterable[tuple] | AsyncIterable[tuple]
    ) -> None:
        """COPY on PostgreSQL (plain INSERT for a handful of rows), executemany on SQLite."""
        cols = ", ".join(f'"{c}"' for c in columns)
        if self.pg:
            if isinstance(rows, list) and len(rows) <= 8:
                # COPY costs a column-type round trip first: slower than INSERT for a few rows.
                marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
                await self.conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
                return
            await self.conn.copy_records_to_table(table, records=rows, columns=list(columns))
            return
        # Materialised: aiosqlite would otherwise run our generator on its worker thread.
        rows = [r async for r in rows] if not isinstance(rows, Iterable) else list(rows)
        marks = ", ".join("?" for _ in columns)
        await self.conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)

    # ---- reads ----------------------------------------------------------------------------
    async def existing_external_ids(self, source: str, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        if self.pg:
            rows = await self.conn.fetch(
                "SELECT external_id FROM complaint WHERE source = $1 AND external_id = ANY($2)",
                source,
                list(ids),
            )
            return {r[0] for r in rows}
        found: set[str] = set()
        for chunk in _chunks(list(ids), 500):
            marks = ", ".join("?" for _ in chunk)
            rows = await self.fetch(
                f"SELECT external_id FROM complaint WHERE source = ? AND external_id IN ({marks})",
                source,
                *chunk,
            )
            found.update(r[0] for r in rows)
        return found

    async def keys_of(self, operator_ids: Iterable[int]) -> dict[tuple[int, str, str], int]:
        ops = sorted(set(operator_ids))
        if not ops:
            return {}
        if self.pg:
            rows = await self.fetch(
                "SELECT id, operator, region_key, issue FROM trigger_key WHERE operator = ANY($1)",
                ops,
            )
        else:
            marks = ", ".join("?" for _ in ops)
            rows = await self.fetch(
                "SELECT id, operator, region_key, issue FROM trigger_key"
                f" WHERE operator IN ({marks})",
                *ops,
            )
        return {(r[1], r[2], r[3]): r[0] for r in rows}

    async def key_points(self, key_ids: Sequence[int]) -> dict[int, list[Point]]:
        out: dict[int, list[Point]] = defaultdict(list)
        for chunk in _chunks(list(key_ids), 5000):
            if self.pg:
                sql = (
                    "SELECT key, received_on, external_id, id FROM complaint"
                    f" WHERE key = ANY($1) AND {COUNTED}"
                )
                rows = await self.fetch(sql, chunk)
            else:
                marks = ", ".join("?" for _ in chunk)
                sql = (
                    "SELECT key, received_on, external_id, id FROM complaint"
                    f" WHERE key IN ({marks}) AND {COUNTED}"
                )
                rows = await self.fetch(sql, *chunk)
            for key, on, ext, cid in rows:
                out[key].append(Point(_as_date(on), ext, cid))
        return out

    async def originals(
        self, key_ids: Sequence[int], below_id: int
    ) -> list[tuple[int, int, date, str, str]]:
        """Stored complaints of these keys that others may duplicate (counted ones with a
        fingerprint), id < ``below_id``, in id order: (id, key, day, summary, contact hash)."""
        out: list[tuple[int, int, date, str, str]] = []
        cond = f"{COUNTED} AND (summary_hash <> '' OR contact_hash <> '')"
        for chunk in _chunks(list(key_ids), 5000):
            if self.pg:
                rows = await self.fetch(
                    "SELECT id, key, received_on, summary_hash, contact_hash FROM complaint"
                    f" WHERE key = ANY($1) AND id < $2 AND {cond}",
                    chunk,
                    below_id,
                )
            else:
                marks = ", ".join("?" for _ in chunk)
                rows = await self.fetch(
                    "SELECT id, key, received_on, summary_hash, contact_hash FROM complaint"
                    f" WHERE key IN ({marks}) AND id < ? AND {cond}",
                    *chunk,
                    below_id,
                )
            out.extend((r[0], r[1], _as_date(r[2]), r[3], r[4]) for r in rows)
        out.sort()
        return out

    async def live_triggers(self, key_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        """Triggers of these keys that are not superseded, as dicts."""
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        cols = ", ".join(TRIGGER_COLUMNS)
        for chunk in _chunks(list(key_ids), 5000):
            if self.pg:
                rows = await self.fetch(
                    f"SELECT {cols} FROM complaint_trigger WHERE key = ANY($1)"
                    " AND status <> 'superseded'",
                    chunk,
                )
            else:
                marks = ", ".join("?" for _ in chunk)
                rows = await self.fetch(
                    f"SELECT {cols} FROM complaint_trigger WHERE key IN ({marks})"
                    " AND status <> 'superseded'",
                    *chunk,
                )
            for r in rows:
                d = dict(zip(TRIGGER_COLUMNS, r, strict=True))
                for k in ("complaint_ids", "external_ids"):
                    if isinstance(d[k], str):
                        d[k] = json.loads(d[k])
                d["fired_on"] = _as_date(d["fired_on"])
                out[d["key"]].append(d)
        return out


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _qmarks(sql: str) -> str:
    # $1, $2 … → ? (SQLite); arguments are always passed in order here.
    import re

    return re.sub(r"\$\d+", "?", sql)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@asynccontextmanager
async def writing() -> AsyncIterator[Store]:
    """A write transaction holding the complaints lock; Piccolo queries inside join it."""
    db = engine()
    if isinstance(db, PostgresEngine):
        async with db.transaction() as tx:
            store = Store(tx.connection, True)
            await store.lock()
            yield store
    else:
        async with db.transaction(transaction_type=TransactionType.immediate) as tx:
            yield Store(tx.connection, False)
