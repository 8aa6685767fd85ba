"""The database engine chosen by ``AUDIT_DATABASE_URL``, and migrations."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from audit import dbcheck
from audit.settings import Settings, get_settings


def engine_from_url(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = dbcheck.sqlite_path(url)
        dbcheck.prepare_sqlite_file(path)  # 0600, before SQLite creates it 0644
        # timeout: wait for a writer instead of failing with "database is locked"
        return SQLiteEngine(path=str(path), timeout=30)
    return PostgresEngine(config=dbcheck.pg_config(url))


def engine() -> Engine:
    from audit.piccolo_conf import DB

    return DB


def write_transaction() -> Any:
    """A write transaction; on SQLite ``BEGIN IMMEDIATE``, so concurrent writers queue up
    front instead of failing when a deferred reader tries to upgrade its lock."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


# PostgreSQL: a CTE that switches its statement's transaction to asynchronous commit (no wait
# for the WAL flush). Join ``async_commit`` into the statement so that it is evaluated.
ASYNC_COMMIT = "async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS was)"


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


async def migrate() -> str:
    """Apply every pending migration of every app; returns Piccolo's report."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{out.getvalue()}")
    return out.getvalue()


async def pending_migrations() -> list[str]:
    from piccolo.apps.migrations.commands.check import CheckMigrationManager

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        statuses = await CheckMigrationManager(app_name="all").get_migration_statuses()
    return [f"{s.app_name}:{s.migration_id}" for s in statuses if not s.has_ran]


async def start(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    db = engine()
    # idempotent: the web app and its in-process job worker both start it
    if isinstance(db, PostgresEngine) and settings.db_pool and db.pool is None:
        await db.start_connection_pool()


async def stop() -> None:
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()
