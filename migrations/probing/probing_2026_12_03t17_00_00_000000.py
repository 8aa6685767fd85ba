from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "probe runs: event sequence for the finish job's stale-input check (issue 19)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="probing", description=DESCRIPTION)
    for name, null, default in (("event_seq", False, 0), ("finished_seq", True, None)):
        manager.add_column(
            table_class_name="ProbeRun",
            tablename="probe_run",
            column_name=name,
            db_column_name=name,
            column_class_name="Integer",
            column_class=Integer,
            params={
                "default": default,
                "null": null,
                "primary_key": False,
                "unique": False,
                "index": False,
                "index_method": IndexMethod.btree,
                "choices": None,
                "db_column_name": None,
                "secret": False,
            },
            schema=None,
        )
    return manager
