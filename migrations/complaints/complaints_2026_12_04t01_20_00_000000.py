"""Indexes for the complaints list filtered by operator and/or issue, newest first.

At a million complaints, `WHERE operator = ? [AND issue = ?] ORDER BY id DESC LIMIT 51`
walked the primary key backwards through every row when the filter matched few or none
(~140 ms on PostgreSQL); with these the database reads only the matching entries, in order.
Raw steps (composite indexes), valid on SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T01:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "complaint (operator, issue, id), (operator, id) and (issue, id) indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS complaint_operator_issue_id ON complaint (operator, issue, id)",
    "CREATE INDEX IF NOT EXISTS complaint_operator_id ON complaint (operator, id)",
    "CREATE INDEX IF NOT EXISTS complaint_issue_id ON complaint (issue, id)",
]


async def _indexes() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)
    manager.add_raw(_indexes)
    return manager
