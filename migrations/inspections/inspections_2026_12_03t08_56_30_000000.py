"""A browser's upload id is unique per inspection, so a replayed photo upload is a no-op.

Kept apart from the column creation because Piccolo runs raw steps before it adds columns.
NULLs (uploads without an id, e.g. from probes) are distinct in both SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T08:56:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique key: item evidence client id"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS inspection_item_evidence_client"
    " ON inspection_item_evidence (inspection, client_id)",
]


async def _unique_keys() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)
    manager.add_raw(_unique_keys)
    return manager
