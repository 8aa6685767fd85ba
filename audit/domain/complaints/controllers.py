"""Complaints API: add one, upload a CSV, list and move triggers. Staff only: triggers lead to
covert spot-checks, which operator users must not see coming (design.md §5)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, QueryParameter

from audit.api import CurrentActor, Id, Limit, Offset
from audit.domain.accounts.guards import require
from audit.domain.complaints import duplicates, services
from audit.domain.complaints.csvparse import CsvLayoutError
from audit.domain.complaints.importer import ImportOptions
from audit.domain.complaints.listing import ComplaintFilter, get_row, list_complaints
from audit.domain.complaints.mapping import MAPPINGS_DIR
from audit.domain.complaints.schemas import (
    ComplaintIn,
    ComplaintOut,
    ComplaintRow,
    DuplicateReviewIn,
    DuplicateReviewOut,
    ImportOut,
    TriggerOut,
    TriggerStatusIn,
)
from audit.domain.complaints.taxonomy import DataFileError
from audit.errors import DomainError
from audit.settings import get_settings

MappingName = Annotated[str | None, QueryParameter(pattern=r"^[a-z0-9_]{1,40}$")]
Source = Annotated[str | None, QueryParameter(min_length=1, max_length=64)]
Flag = Annotated[bool, QueryParameter()]
OperatorId = Annotated[int | None, QueryParameter(ge=1, le=2_147_483_647)]
Region = Annotated[str | None, QueryParameter(min_length=2, max_length=200)]
Issue = Annotated[str | None, QueryParameter(min_length=1, max_length=100)]
Day = Annotated[dt.date | None, QueryParameter()]
Text = Annotated[str | None, QueryParameter(min_length=1, max_length=200)]


class ComplaintController(Controller):
    path = "/complaints"
    tags = ["complaints"]

    @get(
        "/",
        guards=[require("complaints.read")],
        summary="Complaints, newest first, filtered and paged in SQL",
    )
    async def list_all(
        self,
        operator_id: OperatorId = None,
        region: Region = None,
        issue: Issue = None,
        source: Source = None,
        since: Day = None,
        until: Day = None,
        q: Text = None,
        duplicate: Annotated[
            str | None, QueryParameter(pattern=r"^(pending|confirmed|rejected)$")
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Offset = 0,
    ) -> list[ComplaintRow]:
        f = ComplaintFilter(operator_id, region, issue, source, since, until, q, duplicate)
        return [ComplaintRow(**r) for r in await list_complaints(f, limit, offset)]

    @post(
        "/",
        guards=[require("complaints.write")],
        summary="Add one complaint and re-evaluate its key",
    )
    async def add(self, data: JSONBody[ComplaintIn], actor: CurrentActor) -> ComplaintOut:
        return ComplaintOut(**await services.add_complaint(data, actor))

    @post(
        "/{complaint_id:int}/duplicate",
        guards=[require("complaints.write")],
        summary="Confirm or reject a flagged cross-source duplicate (or mark one by hand)",
        status_code=200,
    )
    async def review_duplicate(
        self, complaint_id: Id, data: JSONBody[DuplicateReviewIn], actor: CurrentActor
    ) -> DuplicateReviewOut:
        _key, out = await duplicates.review(
            complaint_id, data.decision, actor, of=data.of, reason=data.reason
        )
        row = await get_row(complaint_id)
        return DuplicateReviewOut(
            complaint=ComplaintRow(**(row or {})),
            triggers_created=out.created,
            triggers_escalated=out.updated,
            triggers_superseded=out.superseded,
            triggers_withdrawn=out.deleted,
        )

    @post(
        "/import",
        guards=[require("complaints.write")],
        summary="Upload a CSV (canonical layout, or ?mapping=NAME of a shipped mapping)",
        status_code=200,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        mapping: MappingName = None,
        source: Source = None,
        create_operators: Flag = False,
        allow_unknown_regions: Flag = False,
        allow_unknown_issues: Flag = False,
    ) -> ImportOut:
        body = await request.body()
        if len(body) > get_settings().max_upload_bytes:
            raise DomainError("the upload is larger than the configured limit", field="body")
        map_path = None
        if mapping:
            map_path = MAPPINGS_DIR / f"{mapping}.yaml"
            if not map_path.exists():
                raise DomainError(f"no shipped mapping named {mapping!r}", field="mapping")
        try:
            m = services.mapping_for(map_path, source)
        except DataFileError as exc:
            raise DomainError(str(exc), field="mapping") from exc
        opts = ImportOptions(
            source=m.source,
            create_operators=create_operators,
            allow_unknown_regions=allow_unknown_regions,
            allow_unknown_issues=allow_unknown_issues,
        )
        with tempfile.TemporaryDirectory(prefix="complaints-") as tmp:
            path = Path(tmp) / "upload.csv"
            path.write_bytes(body)
            try:
                report = await services.import_file(path, m, opts, actor)
            except CsvLayoutError as exc:
                raise DomainError(str(exc), field="body") from exc
        rejects: list[dict[str, object]] = [
            {"line": e.line, "field": e.field, "reason": e.reason} for e in report.rejected
        ]
        return ImportOut(**report.summary(), rejects=rejects)

    @get(
        "/triggers",
        guards=[require("complaints.read")],
        summary="Triggers, filterable by status and operator",
    )
    async def triggers(
        self,
        actor: CurrentActor,
        status: Annotated[str | None, QueryParameter(max_length=20)] = None,
        operator_id: Annotated[int | None, QueryParameter(ge=1, le=2_147_483_647)] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[TriggerOut]:
        rows = await services.list_triggers(actor, status, operator_id, limit, offset)
        return [TriggerOut(**r) for r in rows]

    @get("/triggers/{trigger_id:int}", guards=[require("complaints.read")])
    async def trigger(self, trigger_id: Id, actor: CurrentActor) -> TriggerOut:
        return TriggerOut(**await services.get_trigger(trigger_id, actor))

    @post(
        "/triggers/{trigger_id:int}/status", guards=[require("complaints.decide")], status_code=200
    )
    async def move(
        self, trigger_id: Id, data: JSONBody[TriggerStatusIn], actor: CurrentActor
    ) -> TriggerOut:
        return TriggerOut(**await services.set_trigger_status(trigger_id, data.status, actor))


ROUTES = [ComplaintController]
