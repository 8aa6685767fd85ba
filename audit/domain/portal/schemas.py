"""API shapes of the portal (hand-written pydantic). Operator users get the ``Operator*``
views: what the notice printed, states, dates and their own uploads — never plans,
inspections, campaigns, caller IDs or schedules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from litestar.datastructures import UploadFile
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from audit.validation import ApiIn

Text = Annotated[str, StringConstraints(max_length=5000)]
DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class _In(ApiIn):
    model_config = ConfigDict(extra="forbid")


class _FilesForm(ApiIn):
    """multipart/form-data with any number of ``files`` parts (at most 10)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")
    files: list[UploadFile] = Field(default_factory=list)

    @field_validator("files", mode="before")
    @classmethod
    def _many(cls, value: Any) -> Any:
        return value if isinstance(value, list) else [value]


class RectificationForm(_FilesForm):
    """What was done, when, and evidence files (photos, documents, recordings)."""

    description: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    done_on: dt.date


class AmendForm(_FilesForm):
    description: Annotated[str, StringConstraints(min_length=1, max_length=5000)] | None = None
    done_on: dt.date | None = None


class DisputeForm(_FilesForm):
    """Why, what outcome the operator proposes, attachments."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    proposed_outcome: Text = ""


class DecisionIn(_In):
    decision: Literal["uphold", "overturn", "adjust"]
    reason: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    result: Literal["na", "fail"] | None = Field(
        default=None, description="adjust only: the item's new result"
    )
    note: Text = Field(default="", description="adjust to fail: the corrected description")


class VerificationIn(_In):
    action: Literal["propose", "start"] = "start"
    margin: float | None = Field(default=None, gt=0, lt=1, description="±margin of the estimate")
    window_days: float | None = Field(default=None, gt=0, le=90)
    inspector_ids: Annotated[list[DbId], Field(max_length=10)] | None = None


class CloseIn(_In):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class FileOut(BaseModel):
    id: int
    kind: str
    media_type: str
    size: int
    sha256: str
    original_name: str | None
    uploaded_at: dt.datetime


class RectificationOut(BaseModel):
    id: int
    finding_id: int
    description: str
    done_on: dt.date
    status: str
    late: bool
    reported_by: str
    reported_at: dt.datetime
    amended_at: dt.datetime | None
    revisions: int
    files: list[FileOut]


class DisputeOut(BaseModel):
    id: int
    finding_id: int
    reason: str
    proposed_outcome: str
    status: str
    filed_by: str
    filed_at: dt.datetime
    window_closes_on: dt.date
    decided_at: dt.datetime | None
    decision_reason: str | None
    adjusted_result: str | None
    corrected_notice_id: int | None
    files: list[FileOut]


class HistoryEntry(BaseModel):
    at: dt.datetime
    action: str
    label: str
    by: str
    state: str | None
    note: str | None = None


class FindingOut(BaseModel):
    """A finding as the operator may see it (staff get :class:`StaffFindingOut`)."""

    id: int
    notice_id: int
    position: int
    title: str
    severity: str
    measured: str
    rule: str
    required: str
    result: str
    state: str
    deadline: dt.date | None
    dispute_closes_on: dt.date | None
    close_reason: str | None
    closed_at: dt.datetime | None
    can_dispute: bool
    can_report: bool
    history: list[HistoryEntry] = Field(default_factory=list)
    rectifications: list[RectificationOut] = Field(default_factory=list)
    disputes: list[DisputeOut] = Field(default_factory=list)


class StaffFindingOut(FindingOut):
    operator_id: int
    inspection_finding_id: int | None  # the inspection's finding record (GET /findings)
    origin: str
    probe_kind: str | None
    inspection_id: int | None
    plan_id: int | None
    venue_id: int | None
    item_code: str | None
    recorded_by: int | None
    overdue_at: dt.datetime | None
    escalated_at: dt.datetime | None
    followup_notice_id: int | None
    verification: dict[str, Any] | None


class PortalNoticeOut(BaseModel):
    id: int
    number: str | None
    notice_type: str
    title: str
    status: str
    issue_date: dt.date | None
    deadline: dt.date | None
    category: Literal["new", "due_soon", "overdue", "open", "closed"]
    findings: int
    open_findings: int
    acknowledged_at: dt.datetime | None
    pdf_url: str
    verify_url: str
    supersedes: int | None
    superseded_by: int | None


class PortalNoticeDetail(PortalNoticeOut):
    dispute_closes_on: dt.date | None
    items: list[FindingOut]
