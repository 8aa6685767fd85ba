"""Checklist versions, audit plans and the coverage report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Response, get, patch, post, put
from litestar.params import JSONBody, QueryParameter

from audit.api import CurrentActor, Id
from audit.domain.accounts.guards import require
from audit.domain.plans import access, actions, checklist_versions, coverage, services
from audit.domain.plans.schemas import (
    ChecklistVersionOut,
    ChecklistYamlIn,
    CoverageOut,
    PlanActionOut,
    PlanIn,
    PlanOut,
    PlanPatch,
    PlanStatus,
)


def _version(row: dict[str, Any], created: bool | None = None) -> ChecklistVersionOut:
    return ChecklistVersionOut(**row, created=created)


class ChecklistController(Controller):
    path = "/checklists"
    tags = ["checklists"]

    @get("/", guards=[require("checklists.read")], summary="Every stored checklist version")
    async def list_versions(
        self, key: Annotated[str | None, QueryParameter(max_length=80)] = None
    ) -> list[ChecklistVersionOut]:
        return [_version(r) for r in await checklist_versions.list_versions(key)]

    @post(
        "/", guards=[require("checklists.write")], summary="Import checklist YAML as a new version"
    )
    async def import_yaml(
        self, data: JSONBody[ChecklistYamlIn], actor: CurrentActor
    ) -> Response[ChecklistVersionOut]:
        cl = checklist_versions.parse_yaml(data.yaml)
        row, created = await checklist_versions.import_checklist(cl, actor, source="upload")
        return Response(_version(row, created), status_code=201 if created else 200)

    @get("/versions/{version_id:int}", guards=[require("checklists.read")])
    async def get_version(self, version_id: Id) -> ChecklistVersionOut:
        return _version(await checklist_versions.get_version(version_id))

    @put(
        "/versions/{version_id:int}",
        guards=[require("checklists.write")],
        summary="Edit a version: in place while unused, else a new version is created",
    )
    async def edit_version(
        self, version_id: Id, data: JSONBody[ChecklistYamlIn], actor: CurrentActor
    ) -> Response[ChecklistVersionOut]:
        cl = checklist_versions.parse_yaml(data.yaml)
        row, created = await checklist_versions.edit_version(version_id, cl, actor)
        return Response(_version(row, created), status_code=201 if created else 200)


class PlanController(Controller):
    path = "/plans"
    tags = ["plans"]

    @get("/", guards=[require("plans.read")])
    async def list_plans(
        self,
        actor: CurrentActor,
        status: Annotated[PlanStatus | None, QueryParameter()] = None,
        operator_id: Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)] = None,
        limit: Annotated[int | None, QueryParameter(ge=1, le=1000)] = None,
        offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
    ) -> list[PlanOut]:
        rows = await access.list_plans(actor, status, operator_id, limit, offset)
        return [PlanOut(**p) for p in rows]

    @post("/", guards=[require("plans.manage")])
    async def create_plan(self, data: JSONBody[PlanIn], actor: CurrentActor) -> PlanOut:
        return PlanOut(**await services.create_plan(data, actor))

    @get("/{plan_id:int}", guards=[require("plans.read")])
    async def get_plan(self, plan_id: Id, actor: CurrentActor) -> PlanOut:
        return PlanOut(**await access.get_plan(plan_id, actor))

    @patch("/{plan_id:int}", guards=[require("plans.manage")], summary="Edit a draft plan")
    async def update_plan(
        self, plan_id: Id, data: JSONBody[PlanPatch], actor: CurrentActor
    ) -> PlanOut:
        return PlanOut(**await services.update_plan(plan_id, data, actor))

    @get(
        "/{plan_id:int}/actions",
        guards=[require("workbench")],
        summary="Which lifecycle actions the caller may take now, and why not",
    )
    async def plan_actions(self, plan_id: Id, actor: CurrentActor) -> list[PlanActionOut]:
        plan = await access.get_plan(plan_id, actor)
        return [
            PlanActionOut(
                action=name,  # type: ignore[arg-type]  # the keys of actions.ACTIONS
                allowed=refusal is None,
                reason=refusal.reason if refusal else None,
                status_code=refusal.status if refusal else None,
            )
            for name, refusal in (await actions.plan_actions(plan, actor)).items()
        ]

    @post("/{plan_id:int}/approve", guards=[require("plans.approve")], status_code=200)
    async def approve(self, plan_id: Id, actor: CurrentActor) -> PlanOut:
        return PlanOut(**await services.transition(plan_id, "approve", actor))

    @post("/{plan_id:int}/activate", guards=[require("plans.manage")], status_code=200)
    async def activate(self, plan_id: Id, actor: CurrentActor) -> PlanOut:
        return PlanOut(**await services.transition(plan_id, "activate", actor))

    @post("/{plan_id:int}/complete", guards=[require("plans.manage")], status_code=200)
    async def complete(self, plan_id: Id, actor: CurrentActor) -> PlanOut:
        return PlanOut(**await services.transition(plan_id, "complete", actor))

    @post("/{plan_id:int}/publish", guards=[require("plans.manage")], status_code=200)
    async def publish(self, plan_id: Id, actor: CurrentActor) -> PlanOut:
        return PlanOut(**await services.transition(plan_id, "publish", actor))

    @get(
        "/coverage",
        guards=[require("coverage.read")],
        summary="Art. 10: provinces checked per year",
    )
    async def coverage_report(
        self,
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> CoverageOut:
        year = year or dt.datetime.now(dt.UTC).year
        return CoverageOut(**await coverage.coverage(year))


ROUTES = [ChecklistController, PlanController]
