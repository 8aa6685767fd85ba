"""Operators, venues and regions. Writes: admin and supervisor. Reads: staff, operators (own)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from audit.api import CurrentActor, Id
from audit.domain.accounts.guards import require
from audit.domain.operators import regions, services
from audit.domain.operators.schemas import (
    OperatorIn,
    OperatorOut,
    OperatorPatch,
    RegionOut,
    VenueIn,
    VenueOut,
    VenuePatch,
)
from audit.errors import NotFound


def _region(r: regions.RegionRecord) -> RegionOut:
    return RegionOut(
        code=r.code,
        name=r.name,
        province_code=r.province_code,
        province_name=r.province_name,
        level=r.level,
    )


class OperatorController(Controller):
    path = "/operators"
    tags = ["registry"]

    @get("/", guards=[require("registry.read")])
    async def list_operators(self, actor: CurrentActor) -> list[OperatorOut]:
        return [OperatorOut(**o) for o in await services.list_operators(actor)]

    @post("/", guards=[require("registry.write")])
    async def create_operator(self, data: JSONBody[OperatorIn], actor: CurrentActor) -> OperatorOut:
        return OperatorOut(**await services.create_operator(data, actor))

    @get("/{operator_id:int}", guards=[require("registry.read")])
    async def get_operator(self, operator_id: Id, actor: CurrentActor) -> OperatorOut:
        return OperatorOut(**await services.get_operator(operator_id, actor))

    @patch("/{operator_id:int}", guards=[require("registry.write")])
    async def update_operator(
        self, operator_id: Id, data: JSONBody[OperatorPatch], actor: CurrentActor
    ) -> OperatorOut:
        return OperatorOut(**await services.update_operator(operator_id, data, actor))

    @get("/{operator_id:int}/venues", guards=[require("registry.read")])
    async def list_venues(self, operator_id: Id, actor: CurrentActor) -> list[VenueOut]:
        return [VenueOut(**v) for v in await services.list_venues(operator_id, actor)]

    @post("/{operator_id:int}/venues", guards=[require("registry.write")])
    async def create_venue(
        self, operator_id: Id, data: JSONBody[VenueIn], actor: CurrentActor
    ) -> VenueOut:
        return VenueOut(**await services.create_venue(operator_id, data, actor))


class VenueController(Controller):
    path = "/venues"
    tags = ["registry"]

    @get("/{venue_id:int}", guards=[require("registry.read")])
    async def get_venue(self, venue_id: Id, actor: CurrentActor) -> VenueOut:
        return VenueOut(**await services.get_venue(venue_id, actor))

    @patch("/{venue_id:int}", guards=[require("registry.write")])
    async def update_venue(
        self, venue_id: Id, data: JSONBody[VenuePatch], actor: CurrentActor
    ) -> VenueOut:
        return VenueOut(**await services.update_venue(venue_id, data, actor))


class RegionController(Controller):
    path = "/regions"
    tags = ["registry"]

    @get("/", guards=[require("registry.read")], summary="Find GB/T 2260 regions by code or name")
    async def find(
        self, q: Annotated[str | None, QueryParameter(min_length=1, max_length=60)] = None
    ) -> list[RegionOut]:
        return [_region(r) for r in services.search_regions(q)]

    @get("/{code:str}", guards=[require("registry.read")])
    async def get_region(self, code: Annotated[str, PathParameter(max_length=60)]) -> RegionOut:
        try:
            found = regions.lookup(code)
        except ValueError:
            found = None
        if found is None:
            raise NotFound(f"region {code!r} not found")
        return _region(found)


ROUTES = [OperatorController, VenueController, RegionController]
