"""Plans: the list (paged in SQL), the create/edit form with the service's errors inline, and a
plan's page with its drawn sample and the lifecycle buttons. Which buttons are live and why
the others are not comes from ``plans.actions`` (the rule ``GET /plans/{id}/actions`` and the
API's transitions use), never from this module or a template."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor, Id, Offset
from audit.context import Actor
from audit.domain.accounts import roles
from audit.domain.accounts.services import get_user
from audit.domain.inspections.access import list_inspections
from audit.domain.inspections.views import plan_to_start
from audit.domain.operators import services as operators
from audit.domain.plans import access, actions, checklist_versions, services
from audit.domain.plans.schemas import PlanIn, PlanPatch, PlanStatus
from audit.errors import DomainError, NotFound
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages import _plan_form as plan_form
from audit.web.pages.base import PageController, page_needs, read_form, submit
from audit.web.pages.operators import kind_options
from audit.web.templating import role_label

PAGE_SIZE = 50
STATUSES = {
    "draft": N_("Draft"),
    "approved": N_("Approved"),
    "active": N_("In progress"),
    "completed": N_("Completed"),
    "published": N_("Published"),
}
ACTION_LABELS = {
    "edit": N_("Edit"),
    "approve": N_("Approve"),
    "activate": N_("Activate"),
    "complete": N_("Complete"),
    "publish": N_("Publish"),
}
DONE = {
    "approve": N_("The plan is approved."),
    "activate": N_("The plan is active: inspections and probes may start."),
    "complete": N_("The plan is completed."),
    "publish": N_("The plan's results are published."),
}
OperatorQuery = Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)]
Search = Annotated[str | None, QueryParameter(max_length=100)]
Action = Annotated[str, PathParameter(max_length=20)]


def labels() -> dict[str, dict[str, str]]:
    return {
        "status": {k: gettext(v) for k, v in STATUSES.items()},
        "method": {k: gettext(v) for k, v in plan_form.METHODS.items()},
        "sampling": {k: gettext(v) for k, v in plan_form.SAMPLINGS.items()},
        "action": {k: gettext(v) for k, v in ACTION_LABELS.items()},
    }


async def _form(
    actor: Actor,
    operator: dict[str, Any],
    plan: dict[str, Any] | None,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Template:
    return Template(
        "plans/form.html.j2",
        context={
            "operator": operator,
            "plan": plan,
            "values": values,
            "errors": plan_form.placed(errors),
            "venues": await operators.list_venues(operator["id"], actor),
            "checklists": await checklist_versions.list_versions(),
            "inspectors": await services.inspector_choices(),
            "methods": plan_form.options(plan_form.METHODS),
            "samplings": plan_form.options(plan_form.SAMPLINGS),
            "on_site_choices": plan_form.options(plan_form.ON_SITE),
            "checked": plan_form.id_list,
            "kinds": dict(kind_options()),
        },
        status_code=422 if errors else 200,
    )


def _roles(action: str) -> str:
    return gettext(" or ").join(role_label(r) for r in roles.roles_for(actions.PERMISSIONS[action]))


async def _names(user_ids: list[int]) -> dict[int, str]:
    out = {}
    for user_id in user_ids:
        try:
            user = await get_user(user_id)
        except NotFound:
            continue
        out[user_id] = user["display_name"] or user["username"]
    return out


async def _detail(
    plan_id: int,
    actor: Actor,
    done: str | None = None,
    error: DomainError | None = None,
) -> Template:
    plan = await access.get_plan(plan_id, actor)
    refusals = await actions.plan_actions(plan, actor)
    by_position = sorted((v for v in plan["venues"] if v["in_sample"]), key=lambda v: v["position"])
    inspections, total = await list_inspections(actor, plan_id=plan_id, limit=PAGE_SIZE)
    status_words = labels()["status"]
    people = [plan["approved_by_id"]] if plan["approved_by_id"] else []
    return Template(
        "plans/detail.html.j2",
        context={
            "plan": plan,
            "operator": await operators.get_operator(plan["operator_id"], actor),
            "actions": [
                (
                    action,
                    refusal,
                    refusal
                    and plan_form.refusal_words(
                        refusal, action, plan["status"], status_words, _roles(action)
                    ),
                )
                for action, refusal in refusals.items()
            ],
            "sample": by_position,
            "not_drawn": [v for v in plan["venues"] if not v["in_sample"]],
            "names": await _names([*plan["inspector_ids"], *people]),
            "inspections": inspections,
            "inspection_total": total,
            "to_start": await plan_to_start(plan, actor),
            "labels": labels(),
            "kinds": dict(kind_options()),
            "done": gettext(DONE[done]) if done in DONE else None,
            "error": error.message if error else None,
        },
        status_code=error.status_code if error else 200,
    )


class PlanPages(PageController):
    path = "/ui/plans"

    @get("/", guards=[page_needs("workbench")])
    async def index(
        self,
        actor: CurrentActor,
        status: Annotated[PlanStatus | None, QueryParameter()] = None,
        operator_id: OperatorQuery = None,
        offset: Offset = 0,
    ) -> Template:
        rows, total = await access.plan_summaries(actor, status, operator_id, PAGE_SIZE, offset)
        base = "/ui/plans?" + "".join(
            f"{k}={v}&" for k, v in (("status", status), ("operator_id", operator_id)) if v
        )
        return Template(
            "plans/list.html.j2",
            context={
                "plans": rows,
                "total": total,
                "status": status or "",
                "offset": offset,
                "page_size": PAGE_SIZE,
                "pager_base": base,
                "labels": labels(),
                "may_plan": roles.can(actor.role, "plans.manage"),
            },
        )

    @get("/new", guards=[page_needs("plans.manage")])
    async def new(
        self, actor: CurrentActor, operator_id: OperatorQuery = None, q: Search = None
    ) -> Template:
        if operator_id is None:  # first the target operator, then the form for its venues
            rows, total = await operators.search_operators(actor, q, PAGE_SIZE, 0)
            return Template(
                "plans/choose_operator.html.j2",
                context={"operators": rows, "total": total, "q": q or ""},
            )
        operator = await operators.get_operator(operator_id, actor)
        defaults = {"method": "open", "sampling": "comprehensive", "on_site": "auto"}
        return await _form(actor, operator, None, defaults, {})

    @post("/new", guards=[page_needs("plans.manage")])
    async def create(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
        form = await read_form(request)
        raw = str(form.get("operator_id", ""))
        if not raw.isdigit():
            raise DomainError("choose the operator the plan targets", field="operator_id")
        operator = await operators.get_operator(int(raw), actor)
        data, problems = plan_form.plan_data(form, operator["id"])

        async def save(model: PlanIn) -> dict[str, Any]:
            return await services.create_plan(model, actor)

        done, errors = await submit(
            PlanIn, data, save, lambda plan: f"/ui/plans/{plan['id']}", problems
        )
        return done or await _form(actor, operator, None, form, errors)

    @get("/{plan_id:int}", guards=[page_needs("workbench")])
    async def detail(
        self,
        plan_id: Id,
        actor: CurrentActor,
        done: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Template:
        return await _detail(plan_id, actor, done)

    @get("/{plan_id:int}/edit", guards=[page_needs("plans.manage")])
    async def edit(self, plan_id: Id, actor: CurrentActor) -> Template:
        plan = await access.get_plan(plan_id, actor)
        refused = await actions.refusal(plan, "edit", actor)
        if refused is not None:
            raise refused.error(f"edit plan {plan_id}")
        operator = await operators.get_operator(plan["operator_id"], actor)
        return await _form(actor, operator, plan, plan_form.form_values(plan), {})

    @post("/{plan_id:int}/edit", guards=[page_needs("plans.manage")])
    async def update(
        self, plan_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        plan = await access.get_plan(plan_id, actor)
        operator = await operators.get_operator(plan["operator_id"], actor)
        form = await read_form(request)
        data, problems = plan_form.plan_data(form, None)

        async def save(model: PlanPatch) -> None:
            await services.update_plan(plan_id, model, actor)

        done, errors = await submit(PlanPatch, data, save, f"/ui/plans/{plan_id}", problems)
        return done or await _form(actor, operator, plan, form, errors)

    @post("/{plan_id:int}/{action:str}", guards=[page_needs("plans.manage")])
    async def transition(self, plan_id: Id, action: Action, actor: CurrentActor) -> Response[Any]:
        if action not in actions.TRANSITIONS:
            raise NotFound(f"no action {action!r}")
        try:
            await services.transition(plan_id, action, actor)
        except DomainError as exc:  # e.g. changed meanwhile: the page says why, buttons redrawn
            if isinstance(exc, NotFound):
                raise
            return await _detail(plan_id, actor, error=exc)
        return Redirect(f"/ui/plans/{plan_id}?done={action}", status_code=303)


ROUTES = [PlanPages]
NAV = [NavItem(N_("Plans"), "/ui/plans", "workbench", order=40)]
DETAIL = {"plan": "/ui/plans/{id}"}
