"""Notice registry tables (issue 8)."""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.accounts.tables import User
from audit.domain.operators.tables import Operator

NOTICE_STATUSES = (
    "draft",
    "approved",
    "issued",
    "delivered",
    "acknowledged",
    "superseded",
    "revoked",
    "withdrawn",  # a draft (or approved) notice taken back before issue, with its reason
)
ISSUED_STATUSES = ("issued", "delivered", "acknowledged", "superseded", "revoked")


class Notice(Table, tablename="notice"):
    """One notice from draft to its end. Immutable once issued except for its status trail."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    token = Varchar(length=40, unique=True)  # public verification id (QR / URL / PDF keywords)
    notice_type = Varchar(length=20, index=True)  # audit.notices.models.NoticeType
    status = Varchar(length=14, default="draft", index=True)
    operator = ForeignKey(
        references=Operator, null=True, default=None, index=True, on_delete=OnDelete.restrict
    )  # None: public notice addressed to all operators
    addressee = Varchar(length=200)
    content = JSON(default={})  # editable text fields while a draft
    source = JSON(default={})  # inspection_id / finding_ids / trigger_id / campaign_id …
    year = Integer(null=True, default=None)
    seq = Integer(null=True, default=None)
    number = Varchar(length=40, null=True, default=None, unique=True)
    issue_date = Date(null=True, default=None)
    pdf_path = Varchar(length=400, null=True, default=None)
    sha256 = Varchar(length=64, null=True, default=None, unique=True)
    signer = Varchar(length=300, null=True, default=None)
    signature_level = Varchar(length=4, null=True, default=None)  # B-B | B-T
    # signed with the development (TEST) key; None: issued before this was recorded
    test_signature = Boolean(null=True, default=None)
    supersedes = Integer(null=True, default=None)  # id of the notice this one corrects
    superseded_by = Integer(null=True, default=None)
    revoke_reason = Text(null=True, default=None)
    created_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    approved_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    approved_at = Timestamptz(null=True, default=None)
    issued_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    issued_at = Timestamptz(null=True, default=None)
    delivered_at = Timestamptz(null=True, default=None)
    acknowledged_by = ForeignKey(
        references=User, null=True, default=None, on_delete=OnDelete.set_null
    )
    acknowledged_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)  # superseded or revoked


class NoticeCounter(Table, tablename="notice_counter"):
    """Last number used per type and year; key is "<type>:<year>". Incremented in the
    issuing transaction, so a failed issue rolls the number back (no gaps)."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)
    last = Integer(default=0)
