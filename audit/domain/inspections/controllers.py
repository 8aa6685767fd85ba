"""Inspections, item answers, evidence uploads, submission and findings."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Response, delete, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody, PathParameter, QueryParameter

from audit.api import CurrentActor, Id
from audit.context import Actor
from audit.domain.accounts.guards import require
from audit.domain.evidence.schemas import EvidenceOut
from audit.domain.inspections import access, findings, services, submission
from audit.domain.inspections.answers import AnswerWrite
from audit.domain.inspections.schemas import (
    AnswerIn,
    AnswerOut,
    AnswerSaved,
    DeclineIn,
    EvidenceForm,
    FindingOut,
    InspectionIn,
    InspectionOut,
    ScoreOut,
)

ItemId = Annotated[str, PathParameter(min_length=1, max_length=80)]
OptId = Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)]


async def _full(inspection_id: int, actor: Actor) -> InspectionOut:
    row = await access.get_readable(inspection_id, actor)
    answers = [AnswerOut(**a) for a in await access.answers_of(inspection_id)]
    return InspectionOut(**row, answers=answers)


class InspectionController(Controller):
    path = "/inspections"
    tags = ["inspections"]

    @get("/", guards=[require("inspections.read")])
    async def list_inspections(
        self,
        actor: CurrentActor,
        plan_id: OptId = None,
        status: Annotated[Literal["open", "pending", "submitted"] | None, QueryParameter()] = None,
        limit: Annotated[int | None, QueryParameter(ge=1, le=1000)] = None,
        offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
    ) -> list[InspectionOut]:
        rows, _ = await access.list_inspections(actor, plan_id, status, limit, offset)
        return [InspectionOut(**r) for r in rows]

    @get("/{inspection_id:int}", guards=[require("inspections.read")])
    async def get_inspection(self, inspection_id: Id, actor: CurrentActor) -> InspectionOut:
        return await _full(inspection_id, actor)

    @put(
        "/{inspection_id:int}/items/{item_id:str}",
        guards=[require("inspections.record")],
        summary="Answer an item (autosave: idempotent by client_id, latest answer kept)",
    )
    async def answer(
        self, inspection_id: Id, item_id: ItemId, data: JSONBody[AnswerIn], actor: CurrentActor
    ) -> AnswerSaved:
        write = AnswerWrite(
            item_id,
            data.result,
            data.note,
            data.measured_value,
            data.client_id,
            data.answered_at,
        )
        return AnswerSaved(**await services.save_answer(inspection_id, write, actor))

    @post(
        "/{inspection_id:int}/items/{item_id:str}/evidence", guards=[require("inspections.record")]
    )
    async def upload(
        self,
        inspection_id: Id,
        item_id: ItemId,
        data: Annotated[EvidenceForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        actor: CurrentActor,
    ) -> Response[EvidenceOut]:
        content = await data.file.read()
        row, created = await services.attach_evidence_once(
            inspection_id, item_id, content, data.kind, data.file.filename, actor, data.client_id
        )
        return Response(EvidenceOut(**row), status_code=201 if created else 200)

    @delete(
        "/{inspection_id:int}/items/{item_id:str}/evidence/{evidence_id:int}",
        guards=[require("inspections.record")],
    )
    async def detach(
        self, inspection_id: Id, item_id: ItemId, evidence_id: Id, actor: CurrentActor
    ) -> None:
        await services.detach_evidence(inspection_id, item_id, evidence_id, actor)

    @get(
        "/{inspection_id:int}/score",
        guards=[require("inspections.read")],
        summary="Score preview and blockers",
    )
    async def score(self, inspection_id: Id, actor: CurrentActor) -> ScoreOut:
        return ScoreOut(**await services.preview(inspection_id, actor))

    @post(
        "/{inspection_id:int}/submit",
        guards=[require("inspections.record")],
        status_code=200,
        summary="Submit; on site it then waits for the second inspector (status pending)",
    )
    async def submit(self, inspection_id: Id, actor: CurrentActor) -> InspectionOut:
        await submission.submit_inspection(inspection_id, actor)
        return await _full(inspection_id, actor)

    @post(
        "/{inspection_id:int}/confirm",
        guards=[require("inspections.confirm")],
        status_code=200,
        summary="The second assigned inspector confirms a pending on-site inspection",
    )
    async def confirm(self, inspection_id: Id, actor: CurrentActor) -> InspectionOut:
        await submission.confirm_inspection(inspection_id, actor)
        return await _full(inspection_id, actor)

    @post(
        "/{inspection_id:int}/decline",
        guards=[require("inspections.confirm")],
        status_code=200,
        summary="Send a pending on-site inspection back to open, with the reason",
    )
    async def decline(
        self, inspection_id: Id, data: JSONBody[DeclineIn], actor: CurrentActor
    ) -> InspectionOut:
        await submission.decline_confirmation(inspection_id, data.reason, actor)
        return await _full(inspection_id, actor)


class PlanInspectionController(Controller):
    path = "/plans/{plan_id:int}/inspections"
    tags = ["inspections"]

    @post(
        "/",
        guards=[require("inspections.record")],
        summary="Open an inspection of a venue in the plan's sample",
    )
    async def open_inspection(
        self, plan_id: Id, data: JSONBody[InspectionIn], actor: CurrentActor
    ) -> InspectionOut:
        row = await services.open_inspection(
            plan_id, data.venue_id, data.checklist_version_id, actor
        )
        return await _full(row["id"], actor)


class FindingController(Controller):
    path = "/findings"
    tags = ["inspections"]

    @get("/", guards=[require("inspections.read")])
    async def list_findings(
        self,
        actor: CurrentActor,
        plan_id: OptId = None,
        inspection_id: OptId = None,
        operator_id: OptId = None,
    ) -> list[FindingOut]:
        rows = await findings.list_findings(actor, plan_id, inspection_id, operator_id)
        return [FindingOut(**r) for r in rows]


ROUTES = [InspectionController, PlanInspectionController, FindingController]
