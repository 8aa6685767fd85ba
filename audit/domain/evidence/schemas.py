from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class EvidenceOut(BaseModel):
    id: int
    sha256: str
    size: int
    media_type: str
    kind: str
    original_name: str | None
    uploaded_by_id: int | None
    uploaded_by_name: str
    uploaded_at: dt.datetime
    sealed: bool
    sealed_at: dt.datetime | None
    sealed_by_name: str | None


class VerifyOut(BaseModel):
    id: int
    sha256: str
    status: str  # ok | tampered | missing
    actual: str | None
