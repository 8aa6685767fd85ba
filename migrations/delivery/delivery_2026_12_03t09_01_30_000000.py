"""Unique key of delivery attempts: one row per (delivery, number).

Kept apart from the table creation because Piccolo runs raw steps before it creates tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T09:01:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique key: one attempt row per delivery and number"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS delivery_attempt_unique"
    " ON delivery_attempt (delivery, number)",
]


async def _unique_keys() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="delivery", description=DESCRIPTION)
    manager.add_raw(_unique_keys)
    return manager
