"""The public quality report (figures from data), its notice draft, and subscriber counts."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, QueryParameter

from audit.api import CurrentActor
from audit.domain.accounts.guards import require
from audit.domain.notices.schemas import NoticeOut
from audit.domain.reports import drafting, services, subscribers
from audit.domain.reports.schemas import (
    PublicReportIn,
    PublicReportOut,
    SubscriberCountIn,
    SubscriberCountOut,
    SubscriberRow,
)
from audit.errors import DomainError
from audit.settings import get_settings

Period = Annotated[str | None, QueryParameter(max_length=7)]
Scope = Annotated[str | None, QueryParameter(name="scope", max_length=20)]  # "scope" is reserved


class PublicReportController(Controller):
    path = "/"
    tags = ["reports"]

    @get(
        "/reports/public",
        guards=[require("reports.read")],
        summary="The public quality report's figures",
    )
    async def figures(self, period: Period = None, area: Scope = None) -> PublicReportOut:
        return PublicReportOut(**await services.public_report(period, area))

    @post(
        "/notices/public-report",
        guards=[require("notices.draft")],
        summary="Draft the public service-quality notice from the report's figures",
    )
    async def draft(
        self, actor: CurrentActor, data: JSONBody[PublicReportIn | None] = None
    ) -> NoticeOut:
        body = data or PublicReportIn()
        return NoticeOut.of(await drafting.draft_public_report(actor, body.period, body.scope))


class SubscriberController(Controller):
    path = "/subscriber-counts"
    tags = ["reports"]

    @get(
        "/", guards=[require("reports.read")], summary="Subscriber counts (per operator and period)"
    )
    async def list_counts(self, period: Period = None) -> list[SubscriberRow]:
        return [SubscriberRow(**r) for r in await subscribers.list_counts(period)]

    @post(
        "/",
        guards=[require("reports.subscribers")],
        summary="Set one operator's count for a period",
        status_code=200,
    )
    async def set_count(
        self, data: JSONBody[SubscriberCountIn], actor: CurrentActor
    ) -> SubscriberCountOut:
        row = await subscribers.set_count(
            data.operator, data.period, data.subscribers, actor, data.source
        )
        return SubscriberCountOut(**row)

    @post(
        "/import",
        guards=[require("reports.subscribers")],
        status_code=200,
        summary="CSV (text/csv): operator, period, subscribers — all lines or none",
    )
    async def import_csv(
        self, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> dict[str, int]:
        body = await request.body()
        if len(body) > get_settings().max_upload_bytes:
            raise DomainError("the upload is larger than the configured limit", field="body")
        return await subscribers.import_csv(body, actor)


ROUTES = [PublicReportController, SubscriberController]
