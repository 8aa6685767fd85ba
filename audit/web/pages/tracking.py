"""The regulator's side of the portal: findings across notices (filter by state), a finding
with its verification (start the re-probe or re-inspection, close with a reason), disputes to
decide, a notice with its findings, deliveries and receipts (and the closing letter), the
dead-letter list with resend, and — in the embedded mode — the local mailbox."""

from __future__ import annotations

from typing import Annotated, Any, cast

from litestar import Request, Response, get, post
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor, Id
from audit.context import Actor
from audit.domain.delivery import mailsink, outbox
from audit.domain.delivery.config import mail_dir
from audit.domain.notices.services import list_notices
from audit.domain.notices.services import load as load_notice
from audit.domain.portal import review, verification, views
from audit.domain.portal.review import Decision
from audit.domain.portal.states import STATES
from audit.errors import DomainError, NotFound
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, errors_from, page_needs, read_form
from audit.web.portal_labels import labels

StateFilter = Annotated[str | None, QueryParameter(name="state", max_length=24)]
MailKey = Annotated[str, PathParameter(max_length=200, pattern=r"^[A-Za-z0-9._\-]+$")]


async def _finding_page(
    finding_id: int, actor: Actor, errors: dict[str, str] | None = None, status: int = 200
) -> Template:
    f = await views.get_finding(finding_id, actor)
    notice = await load_notice(f["notice_id"])
    return Template(
        "tracking/finding.html.j2",
        status_code=status,
        context={"f": f, "notice": notice, "errors": errors or {}, **labels()},
    )


class FindingPages(PageController):
    path = "/ui/findings"

    @get("/", guards=[page_needs("portal.staff")])
    async def index(self, actor: CurrentActor, state_is: StateFilter = None) -> Template:
        state = state_is if state_is in STATES else None
        rows = await views.list_findings(actor, state=state, limit=200)
        return Template(
            "tracking/findings.html.j2",
            context={"rows": rows, "state": state, "states": STATES, **labels()},
        )

    @get("/{finding_id:int}", guards=[page_needs("portal.staff")])
    async def detail(self, finding_id: Id, actor: CurrentActor) -> Template:
        return await _finding_page(finding_id, actor)

    @post("/{finding_id:int}/verification", guards=[page_needs("portal.decide")])
    async def start(
        self, finding_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        try:
            window = float(form["window_days"]) if form.get("window_days") else None
            margin = float(form["margin"]) if form.get("margin") else None
            if window is not None and not 0 < window <= 90:
                raise DomainError(gettext("Between 0 and 90 days."), field="window_days")
            if margin is not None and not 0 < margin < 1:
                raise DomainError(gettext("Between 0 and 1."), field="margin")
            await verification.start(finding_id, actor, margin=margin, window_days=window)
        except ValueError:
            return await _finding_page(
                finding_id, actor, {"window_days": gettext("Enter a number.")}, 422
            )
        except DomainError as exc:
            return await _finding_page(finding_id, actor, errors_from(exc), 422)
        return Redirect(f"/ui/findings/{finding_id}", status_code=303)

    @post("/{finding_id:int}/close", guards=[page_needs("portal.decide")])
    async def close(
        self, finding_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        try:
            await review.close_item(finding_id, actor, str(form.get("reason") or ""))
        except DomainError as exc:
            return await _finding_page(finding_id, actor, errors_from(exc), 422)
        return Redirect(f"/ui/findings/{finding_id}", status_code=303)


class DisputePages(PageController):
    path = "/ui/disputes"

    @get("/", guards=[page_needs("portal.staff")])
    async def index(self) -> Template:
        pending = await views.list_disputes("pending")
        decided = [d for d in await views.list_disputes("all") if d["status"] != "pending"]
        return Template(
            "tracking/disputes.html.j2",
            context={"pending": pending, "decided": decided[-50:], **labels()},
        )

    @get("/{dispute_id:int}", guards=[page_needs("portal.staff")])
    async def detail(self, dispute_id: Id, actor: CurrentActor) -> Template:
        return await self._page(dispute_id, actor, {})

    @staticmethod
    async def _page(
        dispute_id: int, actor: Actor, errors: dict[str, str], status: int = 200
    ) -> Template:
        found = [d for d in await views.list_disputes("all") if d["id"] == dispute_id]
        if not found:
            raise NotFound(f"dispute {dispute_id} not found")
        f = await views.get_finding(found[0]["finding_id"], actor)
        return Template(
            "tracking/dispute.html.j2",
            status_code=status,
            context={"d": found[0], "f": f, "errors": errors, **labels()},
        )

    @post("/{dispute_id:int}/decision", guards=[page_needs("portal.decide")])
    async def decide(
        self, dispute_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await read_form(request)
        decision = str(form.get("decision") or "")
        if decision not in ("uphold", "overturn", "adjust"):
            return await self._page(
                dispute_id, actor, {"decision": gettext("Choose one of the options.")}, 422
            )
        try:
            await review.decide_dispute(
                dispute_id,
                actor,
                cast(Decision, decision),
                str(form.get("reason") or ""),
                str(form.get("result") or "") or None,
                str(form.get("note") or ""),
            )
        except DomainError as exc:
            return await self._page(
                dispute_id,
                actor,
                errors_from(exc),
                exc.status_code if exc.status_code in (403, 409) else 422,
            )
        return Redirect(f"/ui/disputes/{dispute_id}", status_code=303)


class NoticePages(PageController):
    path = "/ui/notices"

    @get("/", guards=[page_needs("workbench")])
    async def index(self, actor: CurrentActor) -> Template:
        rows = await list_notices(actor, limit=200)
        return Template("tracking/notices.html.j2", context={"rows": rows})

    @get("/{notice_id:int}", guards=[page_needs("workbench")])
    async def detail(self, notice_id: Id, actor: CurrentActor) -> Template:
        return await self._page(notice_id, actor, {})

    @staticmethod
    async def _page(
        notice_id: int, actor: Actor, errors: dict[str, str], status: int = 200
    ) -> Template:
        from audit.domain.portal import items, states

        notice = await load_notice(notice_id)
        found = await items.list_items(notice_id=notice_id)
        letter = await review.existing_closing_letter(notice_id)
        context = {
            "n": notice,
            "items": found,
            "errors": errors,
            "letter": letter,
            "all_closed": bool(found) and all(states.resolved(i) for i in found),
            "deliveries": await outbox.list_deliveries(notice_id=notice_id),
            "receipts": await outbox.receipts(notice_id),
            **labels(),
        }
        return Template("tracking/notice.html.j2", context=context, status_code=status)

    @post("/{notice_id:int}/closing-letter", guards=[page_needs("portal.decide")])
    async def closing_letter(self, notice_id: Id, actor: CurrentActor) -> Response[Any]:
        try:
            letter = await review.issue_closing_letter(notice_id, actor)
        except DomainError as exc:
            return await self._page(notice_id, actor, errors_from(exc), 422)
        return Redirect(f"/ui/notices/{letter['id']}", status_code=303)


class DeliveryPages(PageController):
    path = "/ui/deliveries"

    @get("/", guards=[page_needs("portal.staff")])
    async def index(self) -> Template:
        dead = await outbox.list_deliveries(status="dead")
        pending = await outbox.list_deliveries(status="pending")
        return Template("tracking/deliveries.html.j2", context={"dead": dead, "pending": pending})

    @post("/{delivery_id:int}/resend", guards=[page_needs("portal.decide")])
    async def resend(self, delivery_id: Id, actor: CurrentActor) -> Response[Any]:
        await outbox.resend(delivery_id, actor)
        return Redirect("/ui/deliveries?resent=1", status_code=303)


class MailboxPages(PageController):
    path = "/ui/mailbox"

    @get("/", guards=[page_needs("portal.staff")])
    async def index(self) -> Template:
        sink = mailsink.running()
        messages = list(reversed(mailsink.read_messages(sink.directory if sink else mail_dir())))
        return Template(
            "tracking/mailbox.html.j2",
            context={"messages": messages[:100], "running": sink is not None},
        )

    @get("/{key:str}", guards=[page_needs("portal.staff")])
    async def message(self, key: MailKey) -> Template:
        sink = mailsink.running()
        found = mailsink.read_message(sink.directory if sink else mail_dir(), key[:200])
        if found is None:
            raise NotFound("message not found")
        return Template("tracking/mail.html.j2", context={"m": found})


ROUTES = [FindingPages, DisputePages, NoticePages, DeliveryPages, MailboxPages]
NAV = [
    NavItem(N_("Findings"), "/ui/findings", "portal.staff", order=60),
    NavItem(N_("Disputes"), "/ui/disputes", "portal.staff", order=61),
    NavItem(N_("Notices"), "/ui/notices", "workbench", order=55),
    NavItem(N_("Deliveries"), "/ui/deliveries", "portal.staff", order=62),
    NavItem(N_("Mailbox"), "/ui/mailbox", "portal.staff", order=63),
]
DETAIL = {
    "notice": "/ui/notices/{id}",
    "finding": "/ui/findings/{id}",
    "dispute": "/ui/disputes/{id}",
}
