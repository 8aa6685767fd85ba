from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from audit.domain.operators.uscc import validate_uscc
from audit.validation import ApiIn, JsonObject, StoredObject

VenueKind = Literal["hotline", "web_chat", "chat_api", "business_hall", "agency_point", "info_line"]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Uscc = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(validate_uscc)
]
Phone = Annotated[str, StringConstraints(min_length=3, max_length=40, strip_whitespace=True)]


class Strict(ApiIn):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Contact(Strict):
    name: Name
    role: Annotated[str, StringConstraints(max_length=100)] = ""
    phone: Phone | None = None
    email: (
        Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None
    ) = None


class OperatorIn(Strict):
    name: Name
    uscc: Uscc | None = Field(
        default=None, description="统一社会信用代码, 18 characters, checksum validated"
    )
    contacts: Annotated[list[Contact], Field(max_length=50)] = []


class OperatorPatch(Strict):
    name: Name | None = None
    uscc: Uscc | None = None
    contacts: Annotated[list[Contact], Field(max_length=50)] | None = None


class OperatorOut(BaseModel):
    id: int
    name: str
    uscc: str | None
    contacts: list[Contact]
    created_at: dt.datetime


class VenueIn(Strict):
    kind: VenueKind
    name: Name
    region: Annotated[str, StringConstraints(max_length=60)] | None = Field(
        default=None, description="GB/T 2260 code or name of the prefecture-level region"
    )
    address: Annotated[str, StringConstraints(max_length=300)] | None = None
    phones: Annotated[list[Phone], Field(max_length=50)] = []
    urls: Annotated[list[HttpUrl], Field(max_length=50)] = []
    company_name: Name | None = None
    sessions_per_day: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    profile: JsonObject = Field(default_factory=dict, description="channel-specific data")


class VenuePatch(Strict):
    name: Name | None = None
    region: Annotated[str, StringConstraints(max_length=60)] | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = None
    phones: Annotated[list[Phone], Field(max_length=50)] | None = None
    urls: Annotated[list[HttpUrl], Field(max_length=50)] | None = None
    company_name: Name | None = None
    sessions_per_day: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    profile: JsonObject | None = None
    active: bool | None = None


class VenueOut(BaseModel):
    id: int
    operator_id: int
    kind: VenueKind
    name: str
    region_code: str | None
    address: str | None
    phones: list[str]
    service_numbers: list[str]
    urls: list[str]
    company_name: str | None
    sessions_per_day: int | None
    profile: StoredObject
    active: bool


class RegionOut(BaseModel):
    code: str
    name: str
    province_code: str
    province_name: str
    level: str
