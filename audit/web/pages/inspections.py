"""Inspections on a phone: the worklist (mine, today's first; start a sampled venue), the
inspection form (one card per item; answers and photos autosave through the JSON API, queued
in IndexedDB while offline — ``static/inspection.js``), the running score and blockers as an
HTMX fragment, and the pair's submit / confirm / decline (seed 004 Art. 7).

The form's script calls the same endpoints as any API client (``PUT /inspections/{id}/items/
{item}``, ``POST …/evidence``), with the session cookie and the CSRF header; the scores shown
are the scoring service's, rendered here — the script computes none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor, Id
from audit.context import Actor
from audit.domain.inspections import services, submission, views
from audit.errors import DomainError
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, page_needs, read_form

SW_FILE = Path(__file__).resolve().parents[1] / "static" / "inspection-sw.js"
Done = Annotated[str | None, QueryParameter(max_length=20)]

EVIDENCE_WORDS = {
    "photo": N_("photo"),
    "recording": N_("recording"),
    "screenshot": N_("screenshot"),
    "note": N_("note"),
}
DONE_WORDS = {
    "submitted": N_("Submitted. The second inspector now confirms it."),
    "confirmed": N_("Confirmed. The inspection is scored."),
    "scored": N_("Submitted and scored."),
    "declined": N_("Sent back: the inspection is open again."),
}


SEVERITIES = {"veto": N_("Veto"), "critical": N_("Critical"), "minor": N_("Minor")}


def _labels() -> dict[str, Any]:
    return {
        "evidence_words": {k: gettext(v) for k, v in EVIDENCE_WORDS.items()},
        "severity_words": {k: gettext(v) for k, v in SEVERITIES.items()},
    }


async def _form_page(
    inspection_id: int,
    actor: Actor,
    errors: dict[str, str] | None = None,
    done: str | None = None,
    status: int = 200,
) -> Template:
    context = await views.form(inspection_id, actor)
    context.update(
        errors=errors or {},
        done=gettext(DONE_WORDS[done]) if done in DONE_WORDS else None,
        **_labels(),
    )
    return Template("inspections/form.html.j2", context=context, status_code=status)


class InspectionPages(PageController):
    path = "/ui/inspections"

    @get("/", guards=[page_needs("workbench")])
    async def index(self, actor: CurrentActor) -> Template:
        return Template(
            "inspections/list.html.j2",
            context={**await views.worklist(actor), "errors": {}},
        )

    @post("/start", guards=[page_needs("inspections.record")])
    async def start(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
        form = await read_form(request)
        try:
            plan_id, venue_id = int(form.get("plan_id", "")), int(form.get("venue_id", ""))
        except ValueError:
            raise DomainError(gettext("Choose a venue to inspect."), field="venue_id") from None
        try:
            row = await services.open_inspection(plan_id, venue_id, None, actor)
        except DomainError as exc:
            context = {**await views.worklist(actor), "errors": {"start": exc.message}}
            return Template(
                "inspections/list.html.j2", context=context, status_code=exc.status_code
            )
        return Redirect(f"/ui/inspections/{row['id']}", status_code=303)

    @get("/sw.js", guards=[page_needs("workbench")], sync_to_thread=False)
    def service_worker(self) -> Response[bytes]:
        """The offline worker: served from here so its scope covers the inspection pages."""
        return Response(
            SW_FILE.read_bytes(),
            media_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    @get("/{inspection_id:int}", guards=[page_needs("workbench")])
    async def detail(self, inspection_id: Id, actor: CurrentActor, done: Done = None) -> Template:
        return await _form_page(inspection_id, actor, done=done)

    @get("/{inspection_id:int}/summary", guards=[page_needs("workbench")])
    async def summary(self, inspection_id: Id, actor: CurrentActor) -> Template:
        """The running score, the blockers and the submission buttons (HTMX fragment)."""
        context = {**await views.form(inspection_id, actor), "errors": {}, "oob": True, **_labels()}
        return Template("inspections/_summary.html.j2", context=context)

    @post("/{inspection_id:int}/submit", guards=[page_needs("inspections.record")])
    async def submit(self, inspection_id: Id, actor: CurrentActor) -> Response[Any]:
        return await _act(inspection_id, actor, "submit")

    @post("/{inspection_id:int}/confirm", guards=[page_needs("inspections.confirm")])
    async def confirm(self, inspection_id: Id, actor: CurrentActor) -> Response[Any]:
        return await _act(inspection_id, actor, "confirm")

    @post("/{inspection_id:int}/decline", guards=[page_needs("inspections.confirm")])
    async def decline(
        self, inspection_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        reason = str((await read_form(request)).get("reason") or "").strip()
        if not reason:
            errors = {"reason": gettext("This field is required.")}
            return await _form_page(inspection_id, actor, errors, status=422)
        return await _act(inspection_id, actor, "decline", reason[:2000])


async def _act(inspection_id: int, actor: Actor, action: str, reason: str = "") -> Response[Any]:
    try:
        if action == "submit":
            row = await submission.submit_inspection(inspection_id, actor)
            done = "scored" if row["status"] == "submitted" else "submitted"
        elif action == "confirm":
            await submission.confirm_inspection(inspection_id, actor)
            done = "confirmed"
        else:
            await submission.decline_confirmation(inspection_id, reason, actor)
            done = "declined"
    except DomainError as exc:
        status = exc.status_code if exc.status_code in (403, 409) else 422
        return await _form_page(inspection_id, actor, {"submission": exc.message}, status=status)
    return Redirect(f"/ui/inspections/{inspection_id}?done={done}", status_code=303)


ROUTES = [InspectionPages]
NAV = [NavItem(N_("Inspections"), "/ui/inspections", "workbench", order=27)]
DETAIL = {"inspection": "/ui/inspections/{id}"}
