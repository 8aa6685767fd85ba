"""A notice's management page: the draft editor (its content as JSON, what is still missing),
the preview of its pages as images before approval, approve / reopen / issue / revoke with a
reason, and its history (audit trail, deliveries, receipts, registry status)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor, Id
from audit.context import Actor
from audit.domain.accounts import roles
from audit.domain.auditlog.services import entries
from audit.domain.delivery import outbox
from audit.domain.notices import issuing, preview, registry, services
from audit.errors import DomainError, NotFound
from audit.web.i18n import gettext
from audit.web.pages.base import PageController, errors_from, page_needs, read_form

Action = Annotated[str, PathParameter(pattern=r"^(approve|reopen|issue|revoke)$")]


async def _page(
    notice_id: int,
    actor: Actor,
    errors: dict[str, str] | None = None,
    text: str | None = None,
    status: int = 200,
) -> Template:
    n = await services.load(notice_id)
    pages = 0
    if n["status"] in ("draft", "approved") and not n["missing"] and not n["invalid"]:
        try:
            pages = len(await preview.preview_pages(notice_id))
        except DomainError:
            pages = 0
    record = await registry.by_token(n["token"]) if n["number"] else None
    return Template(
        "notices/manage.html.j2",
        status_code=status,
        context={
            "n": n,
            "text": text
            if text is not None
            else json.dumps(n["content"], ensure_ascii=False, indent=2),
            "errors": errors or {},
            "pages": pages,
            "history": await entries("notice", str(notice_id), limit=200),
            "deliveries": await outbox.list_deliveries(notice_id=notice_id),
            "receipts": await outbox.receipts(notice_id),
            "registry": registry.public_view(record) if record else None,
            "can_edit": roles.can(actor.role, "notices.draft"),
            "can_decide": roles.can(actor.role, "notices.approve"),
        },
    )


class NoticeManagePages(PageController):
    path = "/ui/notices"

    @get("/{notice_id:int}/manage", guards=[page_needs("workbench")])
    async def manage(self, notice_id: Id, actor: CurrentActor) -> Template:
        return await _page(notice_id, actor)

    @get("/{notice_id:int}/preview/{page:int}", guards=[page_needs("workbench")])
    async def page_image(self, notice_id: Id, page: Id) -> Response[bytes]:
        pngs = await preview.preview_pages(notice_id)
        if page > len(pngs):
            raise NotFound(f"notice {notice_id} has {len(pngs)} pages")
        return Response(pngs[page - 1], media_type="image/png",
                        headers={"Cache-Control": "no-store"})  # fmt: skip

    @post("/{notice_id:int}/manage/content", guards=[page_needs("notices.draft")])
    async def save(
        self, notice_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        text = str(form.get("content") or "")
        try:
            content = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = gettext("Not valid JSON: line %(line)s, column %(col)s: %(msg)s",
                          line=exc.lineno, col=exc.colno, msg=exc.msg)  # fmt: skip
            return await _page(notice_id, actor, {"content": msg}, text, 422)
        if not isinstance(content, dict):
            msg = gettext("The content must be a JSON object.")
            return await _page(notice_id, actor, {"content": msg}, text, 422)
        try:
            from audit.validation import check_json

            check_json(content)
            await services.update_draft(notice_id, actor, content)
        except (DomainError, ValueError) as exc:
            errs = errors_from(exc) if isinstance(exc, DomainError) else {"content": str(exc)}
            return await _page(notice_id, actor, errs, text, 422)
        return Redirect(f"/ui/notices/{notice_id}/manage?saved=1", status_code=303)

    @post("/{notice_id:int}/manage/{action:str}", guards=[page_needs("notices.approve")])
    async def act(
        self, notice_id: Id, action: Action, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        try:
            if action == "approve":
                await services.approve(notice_id, actor)
            elif action == "reopen":
                await services.reopen(notice_id, actor)
            elif action == "issue":
                await issuing.issue(notice_id, actor)
            elif action == "revoke":
                await issuing.revoke(notice_id, actor, str(form.get("reason") or ""))
            else:
                raise NotFound(f"no action {action!r}")
        except NotFound:
            raise
        except DomainError as exc:
            return await _page(notice_id, actor, errors_from(exc), None, 422)
        return Redirect(f"/ui/notices/{notice_id}/manage", status_code=303)


ROUTES = [NoticeManagePages]
