from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T00:20:13:875267"
VERSION = "1.38.0"
DESCRIPTION = "chat-script campaigns: the customer script"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="campaigns", description=DESCRIPTION)

    manager.add_column(
        table_class_name="ProbeCampaign",
        tablename="probe_campaign",
        column_name="script_id",
        db_column_name="script_id",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 100,
            "default": None,
            "null": True,
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
