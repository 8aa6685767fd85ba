"""Probe campaigns: the list, create one from a plan (its sampled venues, inside its window),
a campaign's page with its lifecycle buttons, live progress (an HTMX fragment polled while it
runs), the statistics drawn as SVG charts, its runs (each linked to the run's page), and the
statistics exported as CSV and XLSX — the figures of ``GET /campaigns/{id}/statistics``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor, Id, Offset
from audit.domain.accounts import roles
from audit.domain.campaigns import reporting, services
from audit.domain.campaigns.controllers import export_response
from audit.domain.campaigns.schemas import CampaignIn
from audit.domain.plans import access as plans
from audit.errors import DomainError
from audit.settings import get_settings
from audit.web import campaign_charts
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import (
    PageController,
    errors_from,
    lines,
    page_needs,
    read_form,
    validate_form,
)

PAGE_SIZE = 50
KINDS = {"voice_silent_call": N_("Silent calls"), "chat_script": N_("Chat script")}
STATUSES = {
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "running": N_("running"),
    "paused": N_("paused"),
    "completed": N_("completed"),
    "canceled": N_("cancelled"),
}
ACTIONS = {
    "schedule": N_("Schedule"),
    "start": N_("Start"),
    "pause": N_("Pause"),
    "resume": N_("Resume"),
    "cancel": N_("Cancel"),
}
DAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
OptPlan = Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)]


def labels() -> dict[str, Any]:
    return {
        "kind_words": {k: gettext(v) for k, v in KINDS.items()},
        "status_words": {k: gettext(v) for k, v in STATUSES.items()},
        "action_words": {k: gettext(v) for k, v in ACTIONS.items()},
        "day_words": [gettext(d) for d in DAYS],
    }


def _ints(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value] if value not in (None, "") else []
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


def campaign_data(form: dict[str, Any]) -> dict[str, Any]:
    """The form as the API's CampaignIn body (a weekly window on the chosen days)."""

    def opt(name: str) -> Any:
        value = form.get(name)
        return None if value in (None, "") else value

    data: dict[str, Any] = {
        "plan_id": opt("plan_id"),
        "name": form.get("name", ""),
        "probe_kind": form.get("probe_kind") or "voice_silent_call",
        "targets": [{"venue_id": v} for v in _ints(form.get("venue_ids"))],
        "schedule": {
            "start_date": opt("start_date"),
            "end_date": opt("end_date"),
            "windows": [
                {
                    "kind": "weekly",
                    "days": _ints(form.get("days")),
                    "start": opt("window_start"),
                    "end": opt("window_end"),
                }
            ],
            "runs_per_target": opt("runs_per_target"),
        },
    }
    callers = lines(form.get("caller_ids"))
    if callers:
        data["schedule"]["caller_ids"] = callers
    for name in ("script_id", "listen_s", "max_attempts", "service_level_s"):
        if opt(name) is not None:
            data[name] = opt(name)
    return data


# The schedule's fields as the form names them (the rest show under the schedule).
_SCHEDULE_FIELDS = {
    "caller_ids": "caller_ids",
    "start_date": "start_date",
    "end_date": "end_date",
    "runs_per_target": "runs_per_target",
    "windows": "window_start",
}


def _schedule_errors(exc: DomainError) -> dict[str, str]:
    """A service error on ``schedule.<part>`` beside the form field for that part."""
    field = exc.field or ""
    if field.startswith("schedule."):
        part = field.split(".")[1].split("[")[0]
        message = exc.message.removeprefix("Value error, ")
        return {_SCHEDULE_FIELDS.get(part, "schedule"): f"{part}: {message}"}
    if field == "schedule":
        return {"schedule": exc.message.removeprefix("Value error, ")}
    return errors_from(exc)


async def _form_page(
    actor: Any, plan_id: int | None, values: dict[str, Any], errors: dict[str, str], status: int
) -> Template:
    plan = None
    if plan_id is not None:
        try:
            plan = await plans.get_plan(plan_id, actor)
        except DomainError:
            errors = {**errors, "plan_id": gettext("No such plan.")}
    if plan is not None and not values.get("start_date") and not values.get("end_date"):
        # Default: from today (or the plan's first day) to the plan's last day, local dates.
        zone = get_settings().zone
        first = max(dt.datetime.now(dt.UTC), plan["window_start"]).astimezone(zone).date()
        last = (plan["window_end"] - dt.timedelta(seconds=1)).astimezone(zone).date()
        values = {**values, "start_date": first.isoformat(), "end_date": last.isoformat()}
    choices, _ = await plans.plan_summaries(actor, status="active", limit=200)
    return Template(
        "campaigns/form.html.j2",
        status_code=status,
        context={"plan": plan, "plans": choices, "values": values, "errors": errors, **labels()},
    )


class CampaignPages(PageController):
    path = "/ui/campaigns"

    @get("/", guards=[page_needs("workbench")])
    async def index(
        self, actor: CurrentActor, plan_id: OptPlan = None, offset: Offset = 0
    ) -> Template:
        rows = await services.campaign_page(actor, plan_id, limit=PAGE_SIZE + 1, offset=offset)
        base = f"/ui/campaigns?plan_id={plan_id}&" if plan_id else "/ui/campaigns?"
        return Template(
            "campaigns/list.html.j2",
            context={
                "rows": rows[:PAGE_SIZE],
                "has_next": len(rows) > PAGE_SIZE,
                "offset": offset,
                "page_size": PAGE_SIZE,
                "base": base,
                "may_create": roles.can(actor.role, "campaigns.manage"),
                **labels(),
            },
        )

    @get("/new", guards=[page_needs("campaigns.manage")])
    async def new(self, actor: CurrentActor, plan_id: OptPlan = None) -> Template:
        values = {
            "days": [0, 1, 2, 3, 4],
            "window_start": "09:00",
            "window_end": "17:00",
            "runs_per_target": 3,
            "service_level_s": 15,
            "listen_s": 40,
            "max_attempts": 3,
        }
        return await _form_page(actor, plan_id, values, {}, 200)

    @post("/", guards=[page_needs("campaigns.manage")])
    async def create(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
        form = await read_form(request)
        data = campaign_data(form)
        model, errors = validate_form(CampaignIn, data)
        if model is not None:
            try:
                created = await services.create_campaign(model, actor)
            except DomainError as exc:
                errors = _schedule_errors(exc)
            else:
                return Redirect(f"/ui/campaigns/{created['id']}", status_code=303)
        values = {
            **form,
            "days": _ints(form.get("days")),
            "venue_ids": _ints(form.get("venue_ids")),
        }
        plan_id = _ints(form.get("plan_id"))
        return await _form_page(actor, plan_id[0] if plan_id else None, values, errors, 422)

    @get("/{campaign_id:int}", guards=[page_needs("workbench")])
    async def detail(self, campaign_id: Id, actor: CurrentActor) -> Template:
        return await self._page(campaign_id, actor, {})

    @staticmethod
    async def _page(
        campaign_id: int, actor: Any, errors: dict[str, str], status: int = 200
    ) -> Template:
        campaign = await services.get_campaign(campaign_id, actor)
        figures = await reporting.campaign_statistics(campaign_id, actor)
        runs = await services.list_runs(campaign_id, actor, limit=500)
        actions = [a for a, (allowed, _) in services.TRANSITIONS.items()
                   if campaign["status"] in allowed]  # fmt: skip
        plan = await plans.get_plan(campaign["plan"], actor)
        return Template(
            "campaigns/detail.html.j2",
            status_code=status,
            context={
                "c": campaign,
                "plan": plan,
                "progress": await services.progress(campaign_id, actor),
                "stats": figures,
                "charts": campaign_charts.charts(figures),
                "runs": runs,
                "targets": {t["id"]: t for t in campaign["targets"]},
                "actions": actions if roles.can(actor.role, "campaigns.manage") else [],
                "errors": errors,
                **labels(),
            },
        )

    @get("/{campaign_id:int}/progress", guards=[page_needs("workbench")])
    async def progress(self, campaign_id: Id, actor: CurrentActor) -> Template:
        """The progress fragment the campaign page polls while the campaign is live."""
        return Template(
            "campaigns/_progress.html.j2",
            context={"progress": await services.progress(campaign_id, actor), **labels()},
        )

    @post("/{campaign_id:int}/transitions", guards=[page_needs("campaigns.manage")])
    async def transition(
        self, campaign_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        try:
            await services.transition(campaign_id, str(form.get("action") or ""), actor)
        except DomainError as exc:
            status = exc.status_code if exc.status_code in (403, 404, 409) else 422
            return await self._page(campaign_id, actor, errors_from(exc), status)
        return Redirect(f"/ui/campaigns/{campaign_id}", status_code=303)

    @get("/{campaign_id:int}/statistics.xlsx", guards=[page_needs("workbench")])
    async def xlsx(self, campaign_id: Id, actor: CurrentActor) -> Response[bytes]:
        figures = await reporting.campaign_statistics(campaign_id, actor)
        return export_response(campaign_id, figures, "xlsx")

    @get("/{campaign_id:int}/statistics.csv", guards=[page_needs("workbench")])
    async def csv(self, campaign_id: Id, actor: CurrentActor) -> Response[bytes]:
        figures = await reporting.campaign_statistics(campaign_id, actor)
        return export_response(campaign_id, figures, "csv")


ROUTES = [CampaignPages]
NAV = [NavItem(N_("Campaigns"), "/ui/campaigns", "workbench", order=42)]
DETAIL = {"campaign": "/ui/campaigns/{id}"}
