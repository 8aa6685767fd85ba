"""The public report's complaint window (issue 20): complaints by judged date.

PostgreSQL: a BRIN index on ``received_on`` — a few pages for a million rows and next to no
cost per inserted row (a B-tree would add ~1 s to a million-row import, docs/complaints.md),
and complaints mostly arrive in date order, so a quarter's report skips the other years'
blocks. SQLite (the small embedded default) has no BRIN and gets no index: its reports scan.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "complaint received_on BRIN index (PostgreSQL) for the public report"


async def _index() -> None:
    from piccolo.engine.postgres import PostgresEngine

    from audit.db import engine

    db = engine()
    if isinstance(db, PostgresEngine):
        await db.run_ddl(
            "CREATE INDEX IF NOT EXISTS complaint_received_on_brin"
            " ON complaint USING brin (received_on)"
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)
    manager.add_raw(_index)
    return manager
