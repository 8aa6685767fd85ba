"""subscriber_count (operator, period) unique (after the table exists)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T16:43:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "subscriber_count (operator, period) unique"


async def _index() -> None:
    from audit.db import engine

    await engine().run_ddl(
        "CREATE UNIQUE INDEX IF NOT EXISTS subscriber_count_unique"
        " ON subscriber_count (operator, period)"
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="reports", description=DESCRIPTION)
    manager.add_raw(_index)
    return manager
