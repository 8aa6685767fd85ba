"""API shapes for notices (hand-written; Piccolo's generated models don't fit Litestar)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_CONTENT_BYTES = 200_000
NoticeTypeName = Literal[
    "rectification",
    "self_inspection",
    "findings_report",
    "public_notice",
    "closing_letter",
    "overdue_followup",
]


def _bounded(value: dict[str, Any]) -> dict[str, Any]:
    if len(json.dumps(value, ensure_ascii=False, default=str)) > MAX_CONTENT_BYTES:
        raise ValueError(f"larger than {MAX_CONTENT_BYTES} bytes")
    return value


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notice_type: NoticeTypeName
    operator_id: Annotated[int, Field(gt=0, le=2_147_483_647)] | None = None
    content: dict[str, Any] = Field(default_factory=dict)
    source: dict[str, Any] = Field(default_factory=dict)

    _content = field_validator("content", "source")(_bounded)


class DraftPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: dict[str, Any]

    _content = field_validator("content")(_bounded)


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class FromInspectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deadline: dt.date | None = None


class RevokeIn(BaseModel):
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
    content: dict[str, Any]
    source: dict[str, Any]
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
