"""Composite unique keys for plans (Piccolo has no composite UNIQUE column option).

Kept apart from the table creation because Piccolo runs raw steps before it creates tables.
The same CREATE UNIQUE INDEX works on SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T18:16:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique keys: checklist versions, plan venues/checklists/inspectors"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS checklist_version_key_version"
    " ON checklist_version (checklist_key, version)",
    "CREATE UNIQUE INDEX IF NOT EXISTS plan_venue_unique ON plan_venue (plan, venue)",
    "CREATE UNIQUE INDEX IF NOT EXISTS plan_checklist_unique"
    " ON plan_checklist (plan, checklist_version)",
    "CREATE UNIQUE INDEX IF NOT EXISTS plan_inspector_unique ON plan_inspector (plan, inspector)",
]


async def _unique_keys() -> None:
    from audit.db import engine

    for sql in STATEMENTS:
        await engine().run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="plans", description=DESCRIPTION)
    manager.add_raw(_unique_keys)
    return manager
