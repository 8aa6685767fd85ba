from piccolo.columns import BigInt, Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.accounts.tables import User


class Evidence(Table, tablename="evidence"):
    """One uploaded evidence file. The bytes live content-addressed (SHA-256) on disk.

    Sealed evidence (seed 004 Art. 7, 暂时封存有关原始记录) can no longer be detached, replaced or
    deleted; its file is re-hashed on verification and reported as tampered on a mismatch.
    """

    id = Serial(primary_key=True)  # declared so type checkers see it
    sha256 = Varchar(length=64, index=True)
    size = BigInt()
    media_type = Varchar(length=80)  # sniffed from the content, never from the file name
    kind = Varchar(length=20)  # photo | recording | screenshot | note
    original_name = Varchar(length=255, null=True, default=None)
    uploaded_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    uploaded_by_name = Varchar(length=150, default="")
    uploaded_at = Timestamptz(default=TimestamptzNow())
    sealed = Boolean(default=False)
    sealed_at = Timestamptz(null=True, default=None)
    sealed_by_name = Varchar(length=150, null=True, default=None)
