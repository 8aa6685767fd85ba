from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from audit.validation import ApiIn

# the names of audit.domain.accounts.roles.ROLES (a test checks they agree)
Role = Literal["admin", "supervisor", "inspector", "analyst", "operator"]
Username = Annotated[
    str, StringConstraints(min_length=3, max_length=150, pattern=r"^[A-Za-z0-9_.@-]+$")
]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]


class Strict(ApiIn):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LoginIn(Strict):
    username: Annotated[str, StringConstraints(min_length=1, max_length=150)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class UserCreate(Strict):
    username: Username
    password: Password
    role: Role
    display_name: Annotated[str, StringConstraints(max_length=200)] = ""
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    operator_id: Annotated[int, Field(gt=0, le=2_147_483_647)] | None = None


class UserUpdate(Strict):
    role: Role | None = None
    display_name: Annotated[str, StringConstraints(max_length=200)] | None = None
    active: bool | None = None
    password: Password | None = None


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    email: str | None
    role: Role
    operator_id: int | None
    active: bool


class TokenCreate(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class TokenCreated(TokenOut):
    token: str = Field(description="shown once; only its SHA-256 is stored")
