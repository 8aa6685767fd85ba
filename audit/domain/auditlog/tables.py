from piccolo.columns import JSON, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_entry"):
    """Append-only: database triggers (see the migration) refuse UPDATE and DELETE."""

    id: Serial  # Piccolo adds the primary key; declared here for type checkers
    at = Timestamptz(index=True)
    actor_id = Integer(null=True, default=None)
    actor = Varchar(length=150)
    action = Varchar(length=100, index=True)
    entity = Varchar(length=60, index=True)
    entity_id = Varchar(length=100, index=True)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)
    request_id = Varchar(length=64, null=True, default=None)
