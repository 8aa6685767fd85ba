"""Append-only audit log: triggers refuse UPDATE and DELETE on audit_entry.

Kept apart from the table's creation because Piccolo runs raw steps before it creates tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T18:09:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit_entry is append-only"

# Append-only is enforced by the database itself, not only by the absence of an API (seed 004 Art. 3:
# findings must be reproducible; a log that can be edited proves nothing).
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
]


async def _append_only() -> None:
    from piccolo.engine.postgres import PostgresEngine

    from audit.db import engine

    db = engine()
    statements = POSTGRES_TRIGGERS if isinstance(db, PostgresEngine) else SQLITE_TRIGGERS
    for sql in statements:
        await db.run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="auditlog", description=DESCRIPTION)
    manager.add_raw(_append_only)
    return manager
