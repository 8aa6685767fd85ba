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
from audit.domain.operators.tables import Operator, Venue


class ChecklistVersion(Table, tablename="checklist_version"):
    """A checklist definition as it was pinned. Immutable once a plan uses it.

    (checklist_key, version) is unique (index in the migration). ``content`` is the canonical
    JSON of the validated checklist; ``content_hash`` its SHA-256 (checklists.loader).
    """

    id = Serial(primary_key=True)  # declared so type checkers see it
    checklist_key = Varchar(length=80, index=True)
    version = Integer()
    title_zh = Varchar(length=200)
    title_en = Varchar(length=200)
    applies_to = JSON(default=[])
    content = JSON()
    content_hash = Varchar(length=64, index=True)
    source = Varchar(length=300, null=True, default=None)
    created_by_name = Varchar(length=150, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class AuditPlan(Table, tablename="audit_plan"):
    """A spot-check plan (seed 004 Art. 5–7): target, venues, checklists, method, sampling."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    name = Varchar(length=200)
    description = Text(default="")
    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    method = Varchar(length=10)  # open | covert (明查 / 暗访)
    sampling = Varchar(length=15)  # comprehensive | random | targeted
    sample_size = Integer(null=True, default=None)
    sample_seed = Varchar(length=64, null=True, default=None)
    on_site = Boolean(default=False)  # entering premises: needs ≥ 2 inspectors (Art. 7)
    window_start = Timestamptz()
    window_end = Timestamptz()
    status = Varchar(length=12, index=True, default="draft")
    created_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    approved_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    approved_at = Timestamptz(null=True, default=None)
    activated_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)


class PlanVenue(Table, tablename="plan_venue"):
    """A venue in the plan's scope; ``in_sample`` marks the drawn (stored) sample."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    plan = ForeignKey(references=AuditPlan, null=False, index=True, on_delete=OnDelete.restrict)
    venue = ForeignKey(references=Venue, null=False, index=True, on_delete=OnDelete.restrict)
    in_sample = Boolean(default=True)
    position = Integer(default=0)  # order in the drawn sample


class PlanChecklist(Table, tablename="plan_checklist"):
    id = Serial(primary_key=True)  # declared so type checkers see it
    plan = ForeignKey(references=AuditPlan, null=False, index=True, on_delete=OnDelete.restrict)
    checklist_version = ForeignKey(
        references=ChecklistVersion, null=False, index=True, on_delete=OnDelete.restrict
    )


class PlanInspector(Table, tablename="plan_inspector"):
    id = Serial(primary_key=True)  # declared so type checkers see it
    plan = ForeignKey(references=AuditPlan, null=False, index=True, on_delete=OnDelete.restrict)
    inspector = ForeignKey(references=User, null=False, index=True, on_delete=OnDelete.restrict)
