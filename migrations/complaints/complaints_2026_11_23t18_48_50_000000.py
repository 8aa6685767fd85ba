"""Unique keys for complaints and trigger keys (after the tables exist).

Kept apart from the tables' creation because Piccolo runs raw steps before it creates tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T18:48:50:000000"
VERSION = "1.38.0"
DESCRIPTION = "complaint (source, external_id) and trigger_key (operator, region, issue) unique"

STATEMENTS = [
    # Idempotent import: the same external id from the same source is one complaint.
    "CREATE UNIQUE INDEX IF NOT EXISTS complaint_source_external_id"
    " ON complaint (source, external_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS trigger_key_unique"
    " ON trigger_key (operator, region_key, issue)",
]


async def _indexes() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)
    manager.add_raw(_indexes)
    return manager
