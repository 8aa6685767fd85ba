"""Indexes for the inspection worklists, newest first: open/pending by ``started_at``,
submitted by ``submitted_at`` (the worklist page and the dashboards). Without them every
request joined and sorted every open (or submitted) inspection — 5,000 rows at issue 15's
scale — to show 50. Valid on SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "inspection started_at and submitted_at indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS inspection_started_at ON inspection (started_at)",
    "CREATE INDEX IF NOT EXISTS inspection_submitted_at ON inspection (submitted_at)",
]


async def _indexes() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)
    manager.add_raw(_indexes)
    return manager
