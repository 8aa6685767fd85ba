"""Findings of issued notices as tracked items, the operator's rectification reports and
disputes (issue 17). Rows are never deleted: a change is a new state, an amendment keeps its
previous version, and every transition is in the audit log."""

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
from audit.domain.notices.tables import Notice
from audit.domain.operators.tables import Operator


class FindingItem(Table, tablename="finding_item"):
    """One finding of an issued notice, from issue to closure (states: ``portal.states``)."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    notice = ForeignKey(references=Notice, null=False, index=True, on_delete=OnDelete.restrict)
    first_notice = Integer(index=True)  # the notice that first carried it (corrections move it)
    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    position = Integer()  # its number in the first notice (1-based)
    notice_type = Varchar(length=20)  # rectification | findings_report | self_inspection
    # where it came from (None for findings typed into a notice by hand)
    finding = Integer(null=True, default=None)  # inspections' Finding id
    inspection_id = Integer(null=True, default=None)
    plan_id = Integer(null=True, default=None)
    venue_id = Integer(null=True, default=None)
    checklist_version_id = Integer(null=True, default=None)
    item_code = Varchar(length=80, null=True, default=None)  # checklist item id
    origin = Varchar(length=10, default="manual")  # probe | on_site | manual | order
    probe_kind = Varchar(length=30, null=True, default=None)  # voice_silent_call | chat_script
    recorded_by = Integer(null=True, default=None)  # the inspector who recorded it
    # what the notice printed (the operator sees these, nothing more)
    title = Text()
    severity = Varchar(length=40, default="")
    measured = Text(default="")
    rule = Text(default="")
    required = Text(default="")  # the rectification the notice requires
    result = Varchar(length=4, default="fail")  # fail | na | pass (after a dispute)
    state = Varchar(length=24, default="open", index=True)
    deadline = Date(null=True, default=None)
    reminders = JSON(default=[])  # days-before values whose reminder went out
    overdue_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)
    followup_notice_id = Integer(null=True, default=None)
    verification = JSON(null=True, default=None)  # proposal, campaign/plan, result
    close_reason = Text(null=True, default=None)
    closed_by = Integer(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    version = Integer(default=0)  # bumped by every transition (conditional updates)


class Rectification(Table, tablename="rectification"):
    """An operator's report of what was done; amendable until verification starts."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    item = ForeignKey(references=FindingItem, null=False, index=True, on_delete=OnDelete.restrict)
    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    description = Text()
    done_on = Date()
    evidence_ids = JSON(default=[])
    status = Varchar(length=12, default="reported")  # reported | verifying | accepted | rejected
    late = Boolean(default=False)  # reported after the deadline
    reported_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    reported_by_name = Varchar(length=150, default="")
    reported_at = Timestamptz(default=TimestamptzNow())
    amended_at = Timestamptz(null=True, default=None)
    revisions = JSON(default=[])  # earlier versions, oldest first


class Dispute(Table, tablename="dispute"):
    """An operator's objection to a finding, and the supervisor's decision on it."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    item = ForeignKey(references=FindingItem, null=False, index=True, on_delete=OnDelete.restrict)
    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    reason = Text()
    proposed_outcome = Text(default="")
    evidence_ids = JSON(default=[])
    prior_state = Varchar(length=24)
    window_closes_on = Date()
    status = Varchar(length=12, default="pending", index=True)
    filed_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    filed_by_name = Varchar(length=150, default="")
    filed_at = Timestamptz(default=TimestamptzNow())
    decided_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    decided_by_name = Varchar(length=150, null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decision_reason = Text(null=True, default=None)
    adjusted_result = Varchar(length=4, null=True, default=None)
    adjusted_note = Text(null=True, default=None)
    corrected_notice_id = Integer(null=True, default=None)
