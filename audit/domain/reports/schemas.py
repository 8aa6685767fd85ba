"""API shapes of the public report and the subscriber counts (hand-written)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from audit.validation import ApiIn

PeriodText = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}(Q[1-4]|-\d{2})$")
]
ScopeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=20)]


class PublicReportIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    period: PeriodText | None = Field(
        default=None, description="2026Q3 or 2026-07; default: the last complete quarter"
    )
    scope: ScopeText | None = Field(
        default=None, description="'nation' (default) or a province code (32 or 320000)"
    )


class PublicReportOut(BaseModel):
    period: str
    period_label: str
    previous_period: str
    scope: str
    scope_label: str
    from_: str = Field(alias="from")
    to: str
    service_level_s: float
    operators: list[dict[str, Any]]
    sector: dict[str, Any] = Field(
        default_factory=dict, description="sector average: every operator's counts pooled"
    )
    inputs: dict[str, Any]

    model_config = ConfigDict(populate_by_name=True)


class SubscriberCountIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    operator: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ] = Field(description="operator name, USCC or id")
    period: PeriodText
    subscribers: int = Field(ge=1, le=10**10)
    source: Annotated[str, StringConstraints(max_length=200)] = ""


class SubscriberCountOut(BaseModel):
    operator: int
    period: str
    subscribers: int
    source: str


class SubscriberRow(BaseModel):
    id: int
    operator_id: int
    operator: str
    period: str
    subscribers: int
    source: str
