"""Probe campaigns over HTTP. Writes: admin, supervisor, inspector. Reads: staff, and operator
users for their own operator's open (or published) campaigns."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Response, get, post
from litestar.params import JSONBody, QueryParameter

from audit.api import CurrentActor, Id
from audit.domain.accounts.guards import require
from audit.domain.campaigns import export, reporting, services, stats
from audit.domain.campaigns.schemas import CampaignIn, Progress, Transition
from audit.errors import DomainError
from audit.openapi import serving


def _edges(text: str | None) -> tuple[int, ...] | None:
    if not text:
        return None
    try:
        edges = tuple(int(p) for p in text.split(","))
        stats.TimeBands(edges=edges)
    except ValueError as exc:
        raise DomainError(f"{exc}".replace("edges: ", ""), field="bands") from exc
    return edges


CSV = "text/csv"  # Litestar adds "; charset=utf-8" to a text/* type
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CampaignController(Controller):
    path = "/campaigns"
    tags = ["campaigns"]

    @get("/", guards=[require("campaigns.read")])
    async def list_campaigns(
        self,
        actor: CurrentActor,
        plan_id: Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)] = None,
    ) -> list[dict[str, Any]]:
        return await services.list_campaigns(actor, plan_id)

    @post("/", guards=[require("campaigns.manage")])
    async def create_campaign(
        self, data: JSONBody[CampaignIn], actor: CurrentActor
    ) -> dict[str, Any]:
        return await services.create_campaign(data, actor)

    @get("/{campaign_id:int}", guards=[require("campaigns.read")])
    async def get_campaign(self, campaign_id: Id, actor: CurrentActor) -> dict[str, Any]:
        return await services.get_campaign(campaign_id, actor)

    @post("/{campaign_id:int}/transitions", guards=[require("campaigns.manage")], status_code=200)
    async def transition(
        self, campaign_id: Id, data: JSONBody[Transition], actor: CurrentActor
    ) -> dict[str, Any]:
        return await services.transition(campaign_id, data.action, actor)

    @get("/{campaign_id:int}/progress", guards=[require("campaigns.read")])
    async def progress(self, campaign_id: Id, actor: CurrentActor) -> Progress:
        return Progress(**await services.progress(campaign_id, actor))

    @get("/{campaign_id:int}/statistics", guards=[require("campaigns.read")])
    async def statistics(
        self,
        campaign_id: Id,
        actor: CurrentActor,
        bands: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> dict[str, Any]:
        return await reporting.campaign_statistics(campaign_id, actor, _edges(bands))

    @get("/{campaign_id:int}/statistics/export", guards=[require("campaigns.read")],
         summary="The statistics as CSV or XLSX (the same figures)",
         operation_class=serving(CSV, XLSX))  # fmt: skip
    async def export_statistics(
        self,
        campaign_id: Id,
        actor: CurrentActor,
        format: Annotated[Literal["csv", "xlsx"], QueryParameter()] = "csv",
        bands: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> Response[bytes]:
        figures = await reporting.campaign_statistics(campaign_id, actor, _edges(bands))
        return export_response(campaign_id, figures, format)

    @get("/{campaign_id:int}/runs", guards=[require("campaigns.runs")])
    async def runs(self, campaign_id: Id, actor: CurrentActor) -> list[dict[str, Any]]:
        return await services.list_runs(campaign_id, actor)

    @get("/sample-size", guards=[require("campaigns.read")])
    async def sample_size(
        self,
        margin: Annotated[float, QueryParameter(ge=stats.MIN_MARGIN, le=stats.MAX_MARGIN)],
        confidence: Annotated[
            float, QueryParameter(ge=stats.MIN_CONFIDENCE, le=stats.MAX_CONFIDENCE)
        ] = 0.95,
        expected_rate: Annotated[float, QueryParameter(ge=0, le=1)] = 0.5,
        population: Annotated[int | None, QueryParameter(ge=1, le=10**9)] = None,
    ) -> dict[str, Any]:
        n = stats.required_sample_size(
            margin, confidence=confidence, expected_rate=expected_rate, population=population
        )
        return {
            "margin": margin,
            "confidence": confidence,
            "expected_rate": expected_rate,
            "population": population,
            "runs_needed": n,
        }


def export_response(campaign_id: int, figures: dict[str, Any], format: str) -> Response[bytes]:
    body, media = (
        (export.to_xlsx(figures), XLSX) if format == "xlsx"
        else (export.to_csv(figures), CSV)
    )  # fmt: skip
    name = f"campaign-{campaign_id}-statistics.{format}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


ROUTES = [CampaignController]
