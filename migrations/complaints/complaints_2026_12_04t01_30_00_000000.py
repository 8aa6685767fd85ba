"""Cross-source duplicates (issue 20): fingerprints and the duplicate link with its review state."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T01:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "complaint: summary_hash, contact_hash, duplicate_of, duplicate_state"

COLUMNS = (
    ("summary_hash", Varchar, {"length": 32, "default": "", "null": False}),
    ("contact_hash", Varchar, {"length": 32, "default": "", "null": False}),
    ("duplicate_of", Integer, {"default": None, "null": True}),
    ("duplicate_state", Varchar, {"length": 10, "default": "", "null": False}),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="Complaint",
            tablename="complaint",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
                **params,
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
