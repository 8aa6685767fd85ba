"""The operator portal: the inbox of notices addressed to the operator, a notice with its
findings (acknowledge), a finding (report rectification with files, amend, dispute inside the
window, its history), and webhook endpoints. Operator users only; every action is the portal
service the API calls, so the rules (ownership, windows, states) are the same."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor, Id
from audit.context import Actor
from audit.domain.delivery import webhooks
from audit.domain.portal import operator_side, views
from audit.domain.portal.operator_side import Upload
from audit.errors import DomainError
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, errors_from, page_needs, read_form
from audit.web.portal_labels import labels

Done = Annotated[str | None, QueryParameter(max_length=20, pattern=r"^[a-z]+$")]


async def uploads(request: Request[Any, Any, Any]) -> list[Upload]:
    """The form's chosen files (a file input left empty sends a nameless empty part)."""
    form = await request.form()
    out = []
    for value in form.getall("files") if "files" in form else []:
        if isinstance(value, UploadFile) and value.filename:
            out.append(Upload(value.filename, await value.read()))
    return out


def _date(value: Any, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError(gettext("Enter a date (YYYY-MM-DD)."), field=field) from None


async def _finding_page(
    finding_id: int,
    actor: Actor,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
    done: str | None = None,
) -> Template:
    finding = await views.get_finding(finding_id, actor)
    notice = await views.notice_detail(finding["notice_id"], actor)
    context = {
        "f": finding,
        "notice": notice,
        "errors": errors or {},
        "values": values or {},
        "done": done,
        **labels(),
    }
    return Template("portal/finding.html.j2", context=context, status_code=status)


class PortalPages(PageController):
    path = "/ui/portal"

    @get("/", guards=[page_needs("portal.respond")])
    async def inbox(self, actor: CurrentActor) -> Template:
        notices = await views.inbox(actor)
        return Template("portal/inbox.html.j2", context={"notices": notices, **labels()})

    @get("/notices/{notice_id:int}", guards=[page_needs("portal.respond")])
    async def notice(self, notice_id: Id, actor: CurrentActor) -> Template:
        detail = await views.notice_detail(notice_id, actor)
        return Template("portal/notice.html.j2", context={"n": detail, "errors": {}, **labels()})

    @post("/notices/{notice_id:int}/acknowledge", guards=[page_needs("portal.respond")])
    async def acknowledge(
        self, notice_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        comment = str(form.get("comment") or "")[:2000]
        try:
            await operator_side.acknowledge(notice_id, actor, comment)
        except DomainError as exc:
            detail = await views.notice_detail(notice_id, actor)
            return Template(
                "portal/notice.html.j2",
                status_code=422,
                context={"n": detail, "errors": errors_from(exc), **labels()},
            )
        return Redirect(f"/ui/portal/notices/{notice_id}", status_code=303)

    @get("/findings/{finding_id:int}", guards=[page_needs("portal.respond")])
    async def finding(self, finding_id: Id, actor: CurrentActor, done: Done = None) -> Template:
        return await _finding_page(finding_id, actor, done=done)

    @post("/findings/{finding_id:int}/rectification", guards=[page_needs("portal.respond")])
    async def rectify(
        self, finding_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        try:
            await operator_side.report_rectification(
                finding_id,
                actor,
                str(form.get("description") or ""),
                _date(form.get("done_on"), "done_on"),
                await uploads(request),
            )
        except DomainError as exc:
            return await _finding_page(finding_id, actor, errors_from(exc), form, 422)
        return Redirect(f"/ui/portal/findings/{finding_id}?done=reported", status_code=303)

    @post("/rectifications/{rect_id:int}/amend", guards=[page_needs("portal.respond")])
    async def amend(
        self, rect_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        rect = await operator_side.get_rectification(rect_id)
        await operator_side.own_item(rect["item_id"], actor)  # 404 for another operator's
        try:
            done_on = _date(form["done_on"], "done_on") if form.get("done_on") else None
            await operator_side.amend_rectification(
                rect_id,
                actor,
                str(form.get("description") or "") or None,
                done_on,
                await uploads(request),
            )
        except DomainError as exc:
            return await _finding_page(rect["item_id"], actor, errors_from(exc), form, 422)
        return Redirect(f"/ui/portal/findings/{rect['item_id']}?done=amended", status_code=303)

    @post("/findings/{finding_id:int}/dispute", guards=[page_needs("portal.respond")])
    async def dispute(
        self, finding_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        try:
            await operator_side.file_dispute(
                finding_id,
                actor,
                str(form.get("reason") or ""),
                str(form.get("proposed_outcome") or ""),
                await uploads(request),
            )
        except DomainError as exc:
            errors = errors_from(exc)
            if "finding" in errors or "state" in errors:  # the window or the state: say so
                errors["reason"] = errors.pop("finding", "") or errors.pop("state", "")
            return await _finding_page(finding_id, actor, errors, form, 422)
        return Redirect(f"/ui/portal/findings/{finding_id}?done=disputed", status_code=303)


class WebhookPages(PageController):
    path = "/ui/webhooks"

    @get("/", guards=[page_needs("portal.respond")])
    async def hooks(self, actor: CurrentActor) -> Template:
        assert actor.operator_id is not None
        rows = await webhooks.list_endpoints(actor.operator_id)
        return Template(
            "portal/webhooks.html.j2",
            context={
                "endpoints": rows,
                "created": None,
                "errors": {},
                "url": "",
                "event_types": webhooks.EVENT_TYPES,
            },
        )

    @post("/", guards=[page_needs("portal.respond")])
    async def register(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        assert actor.operator_id is not None
        form = await read_form(request)
        url = str(form.get("url") or "")
        events = form.get("events") or []
        events = [events] if isinstance(events, str) else list(events)
        created, errors = None, {}
        try:
            created = await webhooks.register(actor.operator_id, url, events, actor)
        except DomainError as exc:
            errors = errors_from(exc)
        rows = await webhooks.list_endpoints(actor.operator_id)
        return Template(
            "portal/webhooks.html.j2",
            status_code=422 if errors else 201,
            context={
                "endpoints": rows,
                "created": created,
                "errors": errors,
                "url": "" if created else url,
                "event_types": webhooks.EVENT_TYPES,
            },
        )


ROUTES = [PortalPages, WebhookPages]
NAV = [
    NavItem(N_("Notices and findings"), "/ui/portal", "portal.respond", order=20),
    NavItem(N_("Webhooks"), "/ui/webhooks", "portal.respond", order=80),
]
DETAIL = {"portal_notice": "/ui/portal/notices/{id}", "portal_finding": "/ui/portal/findings/{id}"}
