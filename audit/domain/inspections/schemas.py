from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from litestar.datastructures import UploadFile
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from audit.domain.evidence.schemas import EvidenceOut
from audit.validation import ApiIn, StoredObject

DbId = Annotated[int, Field(gt=0, le=2_147_483_647)]


class Strict(ApiIn):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InspectionIn(Strict):
    venue_id: DbId
    checklist_version_id: DbId | None = None


ClientId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")]


class AnswerIn(Strict):
    result: Literal["pass", "fail", "na"]
    note: Annotated[str, Field(max_length=10_000)] = ""
    measured_value: Annotated[str, Field(max_length=200)] = Field(
        default="", description="what was measured, as typed (e.g. waiting minutes)"
    )
    client_id: ClientId | None = Field(
        default=None,
        description="the browser's id for this answer: sending it again changes nothing",
    )
    answered_at: AwareDatetime | None = Field(
        default=None,
        description="when it was given (browser clock); the latest answer per item is kept",
    )


class DeclineIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class EvidenceForm(ApiIn):
    """multipart/form-data: the file and what it is evidence of."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    file: UploadFile
    kind: Literal["photo", "recording", "screenshot", "note"]
    client_id: ClientId | None = None  # the browser's id: a replayed upload is stored once


class AnswerOut(BaseModel):
    item_id: str
    result: str | None
    note: str
    measured_value: str = ""
    measures: StoredObject | None
    source: str | None
    recorded_by_id: int | None
    recorded_by_name: str
    recorded_at: dt.datetime | None
    client_id: str | None = None
    answered_at: dt.datetime | None = None
    revision: int = 0
    evidence: list[EvidenceOut]


class BlockerOut(BaseModel):
    item_id: str | None
    reason: Literal[
        "unknown_item", "unanswered", "na_not_allowed", "missing_evidence", "nothing_applicable"
    ]
    missing: list[str] = []


class ScoreOut(BaseModel):
    score: str | None
    passed: bool
    pass_mark: str
    applicable_max: str
    deducted: str
    failed_items: list[str]
    veto_failed: list[str]
    na_items: list[str]
    blockers: list[str]
    blocking: list[BlockerOut] = Field(default=[], description="the blockers, structured")
    submittable: bool


class AnswerSaved(AnswerOut):
    """The stored answer after a save, what the save did, and the running score."""

    outcome: Literal["applied", "duplicate", "stale"] = Field(
        description="applied; duplicate = this client_id was stored before; stale = a newer "
        "answer is stored (it is the one returned)"
    )
    evidence_required: list[str] = Field(description="kinds needed if the item fails")
    evidence_missing: list[str] = Field(description="required kinds not yet attached")
    score: ScoreOut


class InspectionOut(BaseModel):
    id: int
    plan_id: int
    venue_id: int
    venue_kind: str
    venue_name: str
    checklist_version_id: int
    checklist_key: str
    checklist_version: int
    status: str
    started_by_id: int | None
    started_at: dt.datetime
    submitted_by_id: int | None
    submitted_by_name: str = ""
    submitted_at: dt.datetime | None
    confirmed_by_id: int | None = Field(
        default=None, description="on site: the second inspector, who confirmed (Art. 7)"
    )
    confirmed_by_name: str = ""
    confirmed_at: dt.datetime | None = None
    score: str | None
    passed: bool | None
    score_detail: ScoreOut | None
    answers: list[AnswerOut] = []


class FindingOut(BaseModel):
    id: int
    inspection_id: int
    plan_id: int
    operator_id: int
    venue_id: int
    venue_name: str
    region_code: str | None
    checklist_key: str
    checklist_version_id: int
    checklist_version: int
    item_id: str
    severity: str
    deduction: str
    text_zh: str
    text_en: str
    source: StoredObject
    note: str
    evidence: list[EvidenceOut]
    inspector_id: int | None
    inspector_name: str
    found_at: dt.datetime
