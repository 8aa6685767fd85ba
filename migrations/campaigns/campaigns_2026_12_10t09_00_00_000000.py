from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-10T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "silent-call verdict may be 'inconclusive' (issue 18)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="campaigns", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="CampaignRun",
        tablename="campaign_run",
        column_name="silent_call_verdict",
        db_column_name="silent_call_verdict",
        params={"length": 12},
        old_params={"length": 4},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
