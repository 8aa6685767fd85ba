from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from litestar.datastructures import UploadFile
from pydantic import BaseModel, ConfigDict, Field

from audit.domain.evidence.schemas import EvidenceOut

DbId = Annotated[int, Field(gt=0, le=2_147_483_647)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InspectionIn(Strict):
    venue_id: DbId
    checklist_version_id: DbId | None = None


class AnswerIn(Strict):
    result: Literal["pass", "fail", "na"]
    note: Annotated[str, Field(max_length=10_000)] = ""


class EvidenceForm(BaseModel):
    """multipart/form-data: the file and what it is evidence of."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    file: UploadFile
    kind: Literal["photo", "recording", "screenshot", "note"]


class AnswerOut(BaseModel):
    item_id: str
    result: str | None
    note: str
    measures: dict[str, Any] | None
    source: str | None
    recorded_by_id: int | None
    recorded_by_name: str
    recorded_at: dt.datetime | None
    evidence: list[EvidenceOut]


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
    submittable: bool


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
    submitted_at: dt.datetime | None
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
    source: dict[str, Any]
    note: str
    evidence: list[EvidenceOut]
    inspector_id: int | None
    inspector_name: str
    found_at: dt.datetime
