"""Composite unique keys for inspections (one answer per item; one link per evidence).

Kept apart from the table creation because Piccolo runs raw steps before it creates tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T18:16:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique keys: item results, item evidence links, findings"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS inspection_item_unique"
    " ON inspection_item (inspection, item_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS inspection_item_evidence_unique"
    " ON inspection_item_evidence (inspection, item_id, evidence)",
    "CREATE UNIQUE INDEX IF NOT EXISTS finding_unique ON finding (inspection, item_id)",
]


async def _unique_keys() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)
    manager.add_raw(_unique_keys)
    return manager
