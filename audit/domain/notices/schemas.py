"""API shapes for notices (hand-written; Piccolo's generated models don't fit Litestar)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from audit.validation import ApiIn, JsonObject, PlanningDate, StoredObject

NoticeTypeName = Literal[
    "rectification",
    "self_inspection",
    "findings_report",
    "public_notice",
    "closing_letter",
    "overdue_followup",
]


# A supervisor's reason to address a covert plan's findings to the operator before the plan is
# published (audit/domain/plans/confidentiality.py, rule 4); written to the audit log.
OverrideReason = (
    Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None
)


class DraftIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    notice_type: NoticeTypeName
    operator_id: Annotated[int, Field(gt=0, le=2_147_483_647)] | None = None
    content: JsonObject = Field(default_factory=dict)
    source: JsonObject = Field(default_factory=dict)
    override_reason: OverrideReason = None


class DraftPatch(ApiIn):
    model_config = ConfigDict(extra="forbid")
    content: JsonObject


class AcknowledgeIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class FromInspectionIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    deadline: PlanningDate | None = None
    override_reason: OverrideReason = None


class OverrideIn(ApiIn):
    """Optional body of issuing / drafting a findings report: the confidentiality override."""

    model_config = ConfigDict(extra="forbid")
    override_reason: OverrideReason = None


class RevokeIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class NoticeOut(BaseModel):
    id: int
    token: str
    notice_type: str
    status: str
    operator_id: int | None
    addressee: str
    number: str | None
    year: int | None
    seq: int | None
    issue_date: dt.date | None
    sha256: str | None
    signer: str | None
    signature_level: str | None
    test_signature: bool | None = Field(
        default=None,
        description="signed with the development (TEST) key: not valid for enforcement",
    )
    supersedes: int | None
    superseded_by: int | None
    revoke_reason: str | None
    content: StoredObject
    source: StoredObject
    missing: list[str]
    invalid: list[str]
    created_at: dt.datetime
    approved_at: dt.datetime | None
    issued_at: dt.datetime | None
    delivered_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    ended_at: dt.datetime | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> NoticeOut:
        return cls.model_validate({k: row.get(k) for k in cls.model_fields})


class PublicNotice(BaseModel):
    number: str
    notice_type: str
    title: str | None = None
    addressee: str
    issue_date: str
    fingerprint: str
    superseded_by: str | None = None
    registry_status: str | None = None


class VerificationOut(BaseModel):
    status: Literal["authentic", "tampered", "revoked", "superseded", "unknown"]
    test_signature: bool = Field(
        default=False,
        description="signed with the development (TEST) key: a test signature, not valid for "
        "enforcement, whatever the status",
    )
    reason: str | None = None
    file_sha256: str | None = None
    notice: PublicNotice | None = None
