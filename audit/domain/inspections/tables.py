from piccolo.columns import JSON, Boolean, ForeignKey, Serial, Text, Timestamptz, Varchar
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
    status = Varchar(length=12, default="open", index=True)  # open | submitted
    started_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    started_at = Timestamptz(default=TimestamptzNow())
    submitted_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    submitted_at = Timestamptz(null=True, default=None)
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
    measures = JSON(null=True, default=None)  # automated results: the probe's measures
    source = Varchar(length=10, default="manual")  # manual | probe
    recorded_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    recorded_by_name = Varchar(length=150, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())


class ItemEvidence(Table, tablename="inspection_item_evidence"):
    id = Serial(primary_key=True)  # declared so type checkers see it
    inspection = ForeignKey(
        references=Inspection, null=False, index=True, on_delete=OnDelete.restrict
    )
    item_id = Varchar(length=80)
    evidence = ForeignKey(references=Evidence, null=False, index=True, on_delete=OnDelete.restrict)


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
