"""API shapes for complaints and triggers (hand-written, see engineering notes)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from audit.validation import ApiIn

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ComplaintIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    external_id: Short
    source: Annotated[str, StringConstraints(min_length=1, max_length=64)] = "default"
    operator: Name = Field(description="operator name or USCC, as in the registry")
    region: Name = Field(description="GB/T 2260 prefecture-level code or name")
    issue: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = Field(
        default="", description="taxonomy code, label or alias; empty: classified from the text"
    )
    received_at: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="ISO date or timestamp; dates are judged in the regulator's zone"
    )
    channel: Annotated[str, StringConstraints(max_length=100)] = ""
    summary: Annotated[str, StringConstraints(max_length=2000)] = ""
    text: Annotated[str, StringConstraints(max_length=20000)] = ""
    contact: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="",
        description="complainant's phone or e-mail: only a keyed fingerprint is stored,"
        " to find the same complaint arriving by another channel",
    )
    allow_unknown_region: bool = False
    allow_unknown_issue: bool = False


class ComplaintOut(BaseModel):
    id: int
    source: str
    external_id: str
    key: int
    operator: int
    region: str
    region_resolved: bool
    issue: str
    issue_mapped: bool
    classified: bool
    classified_by: str
    received_at: str | None
    received_on: str
    channel: str
    summary: str
    summary_hash: str = ""
    duplicate_of: int | None = None
    duplicate_state: str = ""
    triggers_created: list[int] = []
    triggers_escalated: list[int] = []
    triggers_superseded: list[int] = []
    triggers_withdrawn: list[int] = []


class ImportOut(BaseModel):
    source: str
    records: int
    imported: int
    already_present: int
    conflicts: int = Field(default=0, description="stored before with other content (in rejects)")
    rejected: int
    operators_created: list[str]
    keys_created: int
    duplicates_flagged: int = Field(default=0, description="cross-source duplicates flagged")
    triggers_created: int
    triggers_escalated: int
    triggers_superseded: int
    triggers_withdrawn: int
    rejects: list[dict[str, object]] = Field(
        default_factory=list, description="every rejected record: line, field, reason"
    )


class TriggerOut(BaseModel):
    id: int
    operator: int
    operator_given: str
    region_key: str
    region_given: str
    region_resolved: bool
    issue: str
    issue_mapped: bool
    fired_on: str
    complaint_ids: list[int]
    external_ids: list[str]
    count_at_firing: int
    joined_count: int
    escalation: int
    status: str
    order_ref: str | None
    plan_ref: str | None
    followup_note: str


class TriggerStatusIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    status: Literal["order_issued", "plan_created", "closed"]


class ComplaintRow(BaseModel):
    """One complaint in a list (``GET /complaints``)."""

    id: int
    source: str
    external_id: str
    key: int
    operator: int
    operator_name: str
    region: str
    region_resolved: bool
    issue: str
    issue_mapped: bool
    classified: bool
    received_at: str | None
    received_on: str
    channel: str
    summary: str
    duplicate_of: int | None = None
    duplicate_state: str = Field(
        default="", description="'' | pending | confirmed | rejected (cross-source duplicates)"
    )


class DuplicateReviewIn(ApiIn):
    """A reviewer's decision on a complaint flagged as a duplicate (or marking one by hand)."""

    model_config = ConfigDict(extra="forbid")
    decision: Literal["confirm", "reject"]
    of: int | None = Field(
        default=None,
        ge=1,
        le=2_147_483_647,
        description="confirm only: the first complaint, to mark an unflagged complaint by hand",
    )
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class DuplicateReviewOut(BaseModel):
    complaint: ComplaintRow
    triggers_created: list[int] = []
    triggers_escalated: list[int] = []
    triggers_superseded: list[int] = []
    triggers_withdrawn: list[int] = []
