"""Unique keys of the portal: one item per finding of a notice, one dispute per item.

Kept apart from the table creation because Piccolo runs raw steps before it creates tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T09:01:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique keys: finding items per notice, one dispute per item"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS finding_item_unique"
    " ON finding_item (first_notice, position)",
    "CREATE UNIQUE INDEX IF NOT EXISTS dispute_item_unique ON dispute (item)",
]


async def _unique_keys() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="portal", description=DESCRIPTION)
    manager.add_raw(_unique_keys)
    return manager
