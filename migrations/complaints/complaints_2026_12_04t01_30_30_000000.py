"""Duplicates are few: a partial index finds them (the review list, "has duplicates" checks)
without adding an index entry per complaint to a bulk import.

Kept apart from the columns' creation because Piccolo runs raw steps before it adds columns.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T01:30:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "complaint duplicates: partial index on duplicate_of"


async def _index() -> None:
    from audit.db import engine

    await engine().run_ddl(
        "CREATE INDEX IF NOT EXISTS complaint_duplicate_of ON complaint (duplicate_of)"
        " WHERE duplicate_of IS NOT NULL"
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)
    manager.add_raw(_index)
    return manager
