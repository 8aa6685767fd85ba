"""The public quality report's figures (staff): period and scope chosen, per-operator figures
from the same service as ``GET /reports/public``, the sector average, the change from the
previous period and the rank; a supervisor drafts the public notice from it (the service of
``POST /notices/public-report``) and lands on the notice's management page."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor
from audit.domain.accounts import roles
from audit.domain.operators.regions import load_regions
from audit.domain.reports import drafting, services
from audit.domain.reports.periods import parse
from audit.errors import DomainError
from audit.web.i18n import N_
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, errors_from, page_needs, read_form

Period = Annotated[str | None, QueryParameter(max_length=20)]
Scope = Annotated[str | None, QueryParameter(name="scope", max_length=20)]  # "scope" is reserved


def provinces() -> list[tuple[str, str]]:
    """(2-digit prefix, name) of every province, in code order."""
    seen: dict[str, str] = {}
    for r in load_regions():
        seen.setdefault(r.province_code[:2], r.province_name)
    return sorted(seen.items())


def _picked(period: str | None, scope: str | None) -> dict[str, str]:
    return {"period": (period or "").strip(), "scope": (scope or "").strip() or "nation"}


class ReportPages(PageController):
    path = "/ui/reports"

    @get("/public", guards=[page_needs("reports.read")])
    async def public(
        self, request: Request[Any, Any, Any], period: Period = None, area: Scope = None
    ) -> Template:
        return await self._page(request, _picked(period, area), {})

    async def _page(
        self, request: Request[Any, Any, Any], picked: dict[str, str], errors: dict[str, str]
    ) -> Template:
        report: dict[str, Any] | None = None
        try:
            report = await services.public_report(picked["period"] or None, picked["scope"])
        except DomainError as exc:
            errors = {**errors_from(exc), **errors}
        previous = parse(report["previous_period"]).zh() if report else ""
        return Template(
            "reports/public.html.j2",
            status_code=422 if errors else 200,
            context={
                "r": report,
                "picked": picked,
                "previous_label": previous,
                "provinces": provinces(),
                "errors": errors,
                "may_draft": roles.can(request.scope["user"]["role"], "notices.draft"),
            },
        )

    @post("/public/draft", guards=[page_needs("notices.draft")])
    async def draft(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
        form = await read_form(request)
        picked = _picked(str(form.get("period") or ""), str(form.get("scope") or ""))
        try:
            notice = await drafting.draft_public_report(
                actor, picked["period"] or None, picked["scope"]
            )
        except DomainError as exc:
            return await self._page(request, picked, errors_from(exc))
        return Redirect(f"/ui/notices/{notice['id']}/manage", status_code=303)


ROUTES = [ReportPages]
NAV = [NavItem(N_("Public report"), "/ui/reports/public", "reports.read", order=47)]
