"""Complaints, their trigger keys and the triggers (issue 7)."""

from piccolo.columns import JSON, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.operators.tables import Operator

TRIGGER_STATUSES = ("new", "order_issued", "plan_created", "closed", "superseded")


class ComplaintKey(Table, tablename="trigger_key"):
    """One trigger key (operator, region, issue); (operator, region_key, issue) is unique."""

    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    operator_given = Varchar(length=200)  # as first imported (name or USCC)
    region_key = Varchar(length=200)  # GB/T 2260 code, or the normalised free text
    region_given = Varchar(length=200)  # as first imported (code or name)
    region_resolved = Boolean(default=True)  # False: kept as free text (--allow-unknown-regions)
    issue = Varchar(length=100)  # taxonomy code, or the value as given
    issue_mapped = Boolean(default=True)  # False: outside the taxonomy (--allow-unknown-issues)


class Complaint(Table, tablename="complaint"):
    """A user complaint (申诉). (source, external_id) is unique; ids are assigned by the service."""

    source = Varchar(length=64, default="default")
    external_id = Varchar(length=100)
    # Plain ids, not foreign-key constraints: a per-row FK check would double the cost of bulk
    # COPY. The importer (the only writer) takes them from trigger_key, whose own FK to
    # operator keeps operators with complaints from being deleted.
    key = Integer(index=True)  # trigger_key.id
    operator = Integer()  # operator.id (= the key's operator)
    region = Varchar(length=200)  # the key's region (code or free text)
    region_resolved = Boolean(default=True)
    issue = Varchar(length=100)
    issue_mapped = Boolean(default=True)
    classified = Boolean(default=False)  # the issue came from the keyword classifier
    classified_by = Varchar(length=300, default="")  # rules version and keywords found
    received_at = Timestamptz(null=True, default=None)  # None when only a date was given
    received_on = Date()  # calendar date in the regulator's zone: what the rule judges
    channel = Varchar(length=100, default="")
    summary = Text(default="")
    text = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # Cross-source duplicates (issue 20, fingerprint.py): fingerprints, never the contact itself.
    summary_hash = Varchar(length=32, default="")  # normalised summary's SHA-256 prefix
    contact_hash = Varchar(length=32, default="")  # keyed hash of the normalised contact
    duplicate_of = Integer(null=True, default=None)  # complaint.id of the first complaint
    duplicate_state = Varchar(length=10, default="")  # "" | pending | confirmed | rejected


class ComplaintTrigger(Table, tablename="complaint_trigger"):
    """A firing of the seed-004 Art. 10 rule for one key."""

    key = ForeignKey(references=ComplaintKey, null=False, index=True, on_delete=OnDelete.restrict)
    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    fired_on = Date(index=True)
    complaint_ids = JSON(default=[])  # pool at firing, then joined ones, in rule order
    external_ids = JSON(default=[])
    count_at_firing = Integer()
    joined_count = Integer(default=0)  # escalation: complaints that joined after firing
    status = Varchar(length=20, default="new", index=True)
    order_ref = Varchar(length=100, null=True, default=None)  # draft self-inspection order
    plan_ref = Varchar(length=100, null=True, default=None)  # draft targeted audit plan
    followup_note = Text(default="")
    superseded_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
