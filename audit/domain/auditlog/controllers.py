"""Reading the audit log (admin, supervisor). There is no route that changes it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from pydantic import BaseModel

from audit.api import Limit, Offset
from audit.domain.accounts.guards import require
from audit.domain.auditlog import services
from audit.validation import StoredJson


class AuditEntryOut(BaseModel):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor: str
    action: str
    entity: str
    entity_id: str
    before: StoredJson
    after: StoredJson
    request_id: str | None


Short = Annotated[str | None, QueryParameter(max_length=100)]


class AuditLogController(Controller):
    path = "/audit-log"
    tags = ["audit log"]

    @get("/", guards=[require("auditlog.read")])
    async def list_entries(
        self,
        entity: Short = None,
        entity_id: Short = None,
        action: Short = None,
        actor_id: Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[AuditEntryOut]:
        rows = await services.entries(entity, entity_id, actor_id, action, limit, offset)
        return [AuditEntryOut(**r) for r in rows]


ROUTES = [AuditLogController]
