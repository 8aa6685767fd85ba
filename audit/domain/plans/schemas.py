"""API shapes for checklist versions, plans and coverage (hand-written pydantic)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from audit.validation import ApiIn, PlanningDatetime, StoredObject

Method = Literal["open", "covert"]
Sampling = Literal["comprehensive", "random", "targeted"]
PlanStatus = Literal["draft", "approved", "active", "completed", "published", "withdrawn"]
DbId = Annotated[int, Field(gt=0, le=2_147_483_647)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


class Strict(ApiIn):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ChecklistYamlIn(Strict):
    yaml: Annotated[str, Field(min_length=1, max_length=500_000)]


class ChecklistVersionOut(BaseModel):
    id: int
    checklist_key: str
    version: int
    title_zh: str
    title_en: str
    applies_to: list[str]
    content_hash: str
    source: str | None
    created_by_name: str
    created_at: dt.datetime
    used: bool
    content: StoredObject | None = None
    created: bool | None = None  # on import/edit: whether a new version was made


class PlanIn(Strict):
    name: Name
    description: Annotated[str, Field(max_length=5000)] = ""
    operator_id: DbId
    method: Method
    sampling: Sampling
    venue_ids: Annotated[list[DbId], Field(max_length=5000)] = Field(
        default_factory=list,
        description="scope; empty = every active venue of the operator (not for targeted)",
    )
    sample_size: Annotated[int, Field(ge=1, le=5000)] | None = None
    sample_seed: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    checklist_version_ids: Annotated[list[DbId], Field(min_length=1, max_length=20)]
    inspector_ids: Annotated[list[DbId], Field(max_length=50)] = Field(default_factory=list)
    window_start: PlanningDatetime
    window_end: PlanningDatetime
    on_site: bool | None = Field(
        default=None, description="default: true when a business hall or agency point is in scope"
    )


class PlanPatch(Strict):
    name: Name | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    method: Method | None = None
    sampling: Sampling | None = None
    venue_ids: Annotated[list[DbId], Field(max_length=5000)] | None = None
    sample_size: Annotated[int, Field(ge=1, le=5000)] | None = None
    sample_seed: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    checklist_version_ids: Annotated[list[DbId], Field(min_length=1, max_length=20)] | None = None
    inspector_ids: Annotated[list[DbId], Field(max_length=50)] | None = None
    window_start: PlanningDatetime | None = None
    window_end: PlanningDatetime | None = None
    on_site: bool | None = None


class PlanVenueOut(BaseModel):
    venue_id: int
    kind: str
    name: str
    region_code: str | None
    in_sample: bool
    position: int


class PinnedChecklistOut(BaseModel):
    id: int
    checklist_key: str
    version: int
    content_hash: str


class PlanOut(BaseModel):
    id: int
    name: str
    description: str
    operator_id: int
    method: str
    sampling: str
    sample_size: int | None
    sample_seed: str | None
    on_site: bool
    window_start: dt.datetime
    window_end: dt.datetime
    status: str
    created_at: dt.datetime
    approved_by_id: int | None
    approved_at: dt.datetime | None
    activated_at: dt.datetime | None
    completed_at: dt.datetime | None
    published_at: dt.datetime | None
    venues: list[PlanVenueOut]
    sample: list[int]
    checklist_versions: list[PinnedChecklistOut]
    inspector_ids: list[int]


class PlanActionOut(BaseModel):
    action: Literal["edit", "approve", "activate", "complete", "publish"]
    allowed: bool
    reason: str | None = Field(description="why not, when not allowed")
    status_code: int | None = Field(description="what the refused request would answer")


class ProvinceCoverage(BaseModel):
    province_code: str
    province_name: str
    completed_plans: int
    plan_ids: list[int]
    covered: bool


class CoverageOut(BaseModel):
    year: int
    provinces: list[ProvinceCoverage]
    gaps: list[str] = Field(description="names of provinces with no completed spot check")
    venues_without_region: int
