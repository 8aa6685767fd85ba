"""The public report's run window (issue 20): probe runs of a kind by their run time.

The report filters ``kind`` and ``COALESCE(started_at, created_at)`` over a quarter and the one
before; with years of runs stored this index reads only those (the expression is the report's
own, so both databases use it). Raw step: SQLite and PostgreSQL both take expression indexes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "probe_run (kind, COALESCE(started_at, created_at)) index for the public report"


async def _index() -> None:
    from audit.db import engine

    await engine().run_ddl(
        "CREATE INDEX IF NOT EXISTS probe_run_kind_run_time"
        " ON probe_run (kind, (COALESCE(started_at, created_at)))"
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="probing", description=DESCRIPTION)
    manager.add_raw(_index)
    return manager
