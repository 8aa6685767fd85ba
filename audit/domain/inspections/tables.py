from piccolo.columns import (
    JSON,
    Boolean,
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
from audit.domain.evidence.tables import Evidence
from audit.domain.operators.tables import Operator, Venue
from audit.domain.plans.tables import AuditPlan, ChecklistVersion


class Inspection(Table, tablename="inspection"):
    """One venue inspected under one plan with one pinned checklist version."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    plan = ForeignKey(references=AuditPlan, null=False, index=True, on_delete=OnDelete.restrict)
    venue = ForeignKey(references=Venue, null=False, index=True, on_delete=OnDelete.restrict)
    checklist_version = ForeignKey(
        references=ChecklistVersion, null=False, index=True, on_delete=OnDelete.restrict
    )
    # open → submitted; on-site (seed 004 Art. 7, pairs): open → pending → submitted, where
    # pending waits for the second assigned inspector's confirmation.
    status = Varchar(length=12, default="open", index=True)
    started_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    started_at = Timestamptz(default=TimestamptzNow())
    submitted_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    submitted_by_name = Varchar(length=150, default="")
    submitted_at = Timestamptz(null=True, default=None)
    confirmed_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    confirmed_by_name = Varchar(length=150, default="")
    confirmed_at = Timestamptz(null=True, default=None)
    score = Varchar(length=10, null=True, default=None)  # decimal text, e.g. "71.43"
    passed = Boolean(null=True, default=None)
    score_detail = JSON(null=True, default=None)


class ItemResult(Table, tablename="inspection_item"):
    """The answer for one checklist item; (inspection, item_id) unique (migration index)."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    inspection = ForeignKey(
        references=Inspection, null=False, index=True, on_delete=OnDelete.restrict
    )
    item_id = Varchar(length=80)
    result = Varchar(length=4)  # pass | fail | na
    note = Text(default="")
    measured_value = Varchar(length=200, default="")  # what the inspector measured, as typed
    measures = JSON(null=True, default=None)  # automated results: the probe's measures
    source = Varchar(length=10, default="manual")  # manual | probe
    recorded_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    recorded_by_name = Varchar(length=150, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())
    # Offline sync: the id the browser gave this answer and when it was given (clamped to the
    # server's clock). The latest (answered_at, client_id) wins, so replays are no-ops.
    client_id = Varchar(length=64, null=True, default=None)
    answered_at = Timestamptz(null=True, default=None)
    revision = Integer(default=0)  # +1 per applied write: the compare-and-set of concurrent saves


class ItemEvidence(Table, tablename="inspection_item_evidence"):
    id = Serial(primary_key=True)  # declared so type checkers see it
    inspection = ForeignKey(
        references=Inspection, null=False, index=True, on_delete=OnDelete.restrict
    )
    item_id = Varchar(length=80)
    evidence = ForeignKey(references=Evidence, null=False, index=True, on_delete=OnDelete.restrict)
    # the browser's id for this upload; (inspection, client_id) unique, so a replay is a no-op
    client_id = Varchar(length=64, null=True, default=None)


class Finding(Table, tablename="finding"):
    """A failed item of a submitted inspection (what notices are made of)."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    inspection = ForeignKey(
        references=Inspection, null=False, index=True, on_delete=OnDelete.restrict
    )
    plan = ForeignKey(references=AuditPlan, null=False, index=True, on_delete=OnDelete.restrict)
    operator = ForeignKey(
        references=Operator, null=False, index=True, on_delete=OnDelete.restrict
    )  # denormalised for queries
    venue = ForeignKey(references=Venue, null=False, index=True, on_delete=OnDelete.restrict)
    checklist_key = Varchar(length=80)
    checklist_version = ForeignKey(
        references=ChecklistVersion, null=False, on_delete=OnDelete.restrict
    )
    item_id = Varchar(length=80)
    severity = Varchar(length=10)
    deduction = Varchar(length=10)
    text_zh = Text()
    text_en = Text()
    source = JSON()  # seed file + section
    note = Text(default="")
    evidence_ids = JSON(default=[])
    inspector = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    inspector_name = Varchar(length=150, default="")
    found_at = Timestamptz()
