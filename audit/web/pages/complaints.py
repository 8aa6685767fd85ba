"""Complaints: the list (filters and paging in SQL), the CSV upload with its rejects file, and
the triggers with their status, escalation and the drafts they set in motion. Staff only, as
the API: triggers lead to covert spot-checks (docs/complaints.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import HTTPException
from litestar.params import PathParameter, QueryParameter
from litestar.response import File, Redirect, Template

from audit.api import CurrentActor, Id, Offset
from audit.domain.accounts import roles
from audit.domain.complaints import duplicates, services, uploads
from audit.domain.complaints.listing import DUPLICATE_FILTERS, ComplaintFilter, list_complaints
from audit.domain.complaints.tables import TRIGGER_STATUSES
from audit.domain.complaints.taxonomy import default_taxonomy
from audit.domain.operators.tables import Operator
from audit.errors import DomainError
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, errors_from, page_needs, read_form

PAGE_SIZE = 50
UploadId = Annotated[str, PathParameter(pattern=r"^[0-9a-f]{32}$")]
Opt = Annotated[str | None, QueryParameter(max_length=200)]
OperatorId = Annotated[int | None, QueryParameter(ge=1, le=2_147_483_647)]

DUPLICATE_LABELS = {
    "": "",
    "pending": N_("to review"),
    "confirmed": N_("confirmed"),
    "rejected": N_("not a duplicate"),
}
STATUS_LABELS = {
    "new": N_("new"),
    "order_issued": N_("order issued"),
    "plan_created": N_("plan created"),
    "closed": N_("closed"),
    "superseded": N_("superseded"),
}


async def _operators() -> list[dict[str, Any]]:
    return list(await Operator.select(Operator.id, Operator.name).order_by(Operator.name).run())


def _issues() -> list[tuple[str, str]]:
    tax = default_taxonomy()
    return [(code, f"{tax.categories[code].zh} ({code})") for code in tax.codes]


def _ref(ref: str | None) -> tuple[str, int] | None:
    """``"notice:12"`` → ("notice", 12): the kind and id of a trigger's draft."""
    if not ref or ":" not in ref:
        return None
    kind, _, rid = ref.partition(":")
    return (("plan" if kind == "audit_plan" else kind), int(rid)) if rid.isdigit() else None


def _trigger_view(t: dict[str, Any]) -> dict[str, Any]:
    return {
        **t,
        "status_label": gettext(STATUS_LABELS.get(t["status"], t["status"])),
        "order": _ref(t["order_ref"]),
        "plan": _ref(t["plan_ref"]),
    }


class ComplaintPages(PageController):
    path = "/ui/complaints"

    @get("/", guards=[page_needs("complaints.read")])
    async def index(
        self,
        request: Request[Any, Any, Any],
        operator: Annotated[str | None, QueryParameter(name="operator_id", max_length=12)] = None,
        region: Opt = None,
        issue: Opt = None,
        source: Opt = None,
        since_text: Annotated[str | None, QueryParameter(name="since", max_length=10)] = None,
        until_text: Annotated[str | None, QueryParameter(name="until", max_length=10)] = None,
        q: Opt = None,
        duplicate: Annotated[str | None, QueryParameter(max_length=12)] = None,
        offset: Offset = 0,
    ) -> Template:
        # The filter form sends every field, empty ones as "": parsed here, not by the
        # framework, so an empty choice means "any" and a bad value is shown inline.
        errors: dict[str, str] = {}
        operator_id: int | None = None
        since: dt.date | None = None
        until: dt.date | None = None
        picked = (operator or "").strip()
        if picked:
            if picked.isdigit() and 0 < int(picked) <= 2_147_483_647:
                operator_id = int(picked)
            else:
                errors["operator_id"] = gettext("Choose one of the options.")
        for name, raw in (("since", since_text), ("until", until_text)):
            if (raw or "").strip():
                try:
                    day = dt.date.fromisoformat(str(raw).strip())
                except ValueError:
                    errors[name] = gettext("Enter a date (YYYY-MM-DD).")
                    continue
                if name == "since":
                    since = day
                else:
                    until = day
        text = {
            "region": (region or "").strip(),
            "issue": issue or "",
            "source": (source or "").strip(),
            "q": (q or "").strip(),
            "duplicate": duplicate if duplicate in DUPLICATE_FILTERS else "",
        }
        filters: dict[str, Any] = {
            "operator_id": operator_id,
            **text,
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        }
        rows: list[dict[str, Any]] = []
        try:
            if errors:
                raise DomainError(next(iter(errors.values())), field=next(iter(errors)))
            f = ComplaintFilter(
                operator_id,
                text["region"] or None,
                text["issue"] or None,
                text["source"] or None,
                since,
                until,
                text["q"] or None,
                text["duplicate"] or None,
            )
            rows = await list_complaints(f, PAGE_SIZE + 1, offset)
        except DomainError as exc:
            errors = {**errors_from(exc), **errors}
        query = urlencode({k: v for k, v in filters.items() if v})
        return Template(
            "complaints/list.html.j2",
            status_code=422 if errors else 200,
            context={
                "rows": rows[:PAGE_SIZE],
                "has_next": len(rows) > PAGE_SIZE,
                "offset": offset,
                "page_size": PAGE_SIZE,
                "filters": filters,
                "errors": errors,
                "base": "/ui/complaints?" + (query + "&" if query else ""),
                "operators": await _operators(),
                "issues": _issues(),
                "duplicate_states": [(k, gettext(DUPLICATE_LABELS[k])) for k in DUPLICATE_FILTERS],
                "duplicate_labels": {
                    k: gettext(v) if v else "" for k, v in DUPLICATE_LABELS.items()
                },
                "may_review": roles.can(request.scope["user"]["role"], "complaints.write"),
                "back": "/ui/complaints?" + query,
            },
        )

    @post("/{complaint_id:int}/duplicate", guards=[page_needs("complaints.write")])
    async def review_duplicate(
        self, complaint_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        """A reviewer's decision on a flagged duplicate (the service of POST
        /complaints/{id}/duplicate), then back to the list the form was on."""
        form = await read_form(request)
        decision = str(form.get("decision") or "")
        reason = str(form.get("reason") or "")[:500]
        try:
            await duplicates.review(complaint_id, decision, actor, reason=reason)
        except DomainError as exc:
            raise HTTPException(status_code=exc.status_code, detail=exc.message) from exc
        back = str(form.get("back") or "")
        if not back.startswith("/ui/complaints") or "//" in back or "\\" in back:
            back = "/ui/complaints"
        return Redirect(f"{back}#c{complaint_id}", status_code=303)

    @get("/import", guards=[page_needs("complaints.write")])
    async def import_form(self) -> Template:
        return self._form({})

    @staticmethod
    def _form(errors: dict[str, str], status: int = 200) -> Template:
        return Template(
            "complaints/import.html.j2",
            status_code=status,
            context={"errors": errors, "mappings": uploads.shipped_mappings()},
        )

    @post("/import", guards=[page_needs("complaints.write")])
    async def upload(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
        form = await read_form(request)
        file = form.get("file")
        body = await file.read() if isinstance(file, UploadFile) else b""
        try:
            upload_id = await uploads.import_upload(
                body,
                actor,
                mapping=str(form.get("mapping") or "") or None,
                source=str(form.get("source") or "").strip() or None,
                create_operators=form.get("create_operators") == "1",
                allow_unknown_regions=form.get("allow_unknown_regions") == "1",
                allow_unknown_issues=form.get("allow_unknown_issues") == "1",
            )
        except DomainError as exc:
            return self._form(errors_from(exc), 422)
        return Redirect(f"/ui/complaints/imports/{upload_id}", status_code=303)

    @get("/imports/{upload_id:str}", guards=[page_needs("complaints.write")])
    async def upload_result(self, upload_id: UploadId) -> Template:
        return Template(
            "complaints/import_result.html.j2",
            context={"s": uploads.summary(upload_id), "upload_id": upload_id},
        )

    @get("/imports/{upload_id:str}/rejects.csv", guards=[page_needs("complaints.write")])
    async def rejects(self, upload_id: UploadId) -> File:
        return File(
            path=uploads.rejects_path(upload_id),
            media_type="text/csv; charset=utf-8",
            filename=f"complaints-{upload_id[:8]}.rejects.csv",
        )

    @get("/triggers", guards=[page_needs("complaints.read")])
    async def triggers(
        self,
        actor: CurrentActor,
        status: Annotated[str | None, QueryParameter(max_length=20)] = None,
        operator_id: OperatorId = None,
        offset: Offset = 0,
    ) -> Template:
        chosen = status if status in TRIGGER_STATUSES else None
        rows = await services.list_triggers(actor, chosen, operator_id, PAGE_SIZE + 1, offset)
        names = {o["id"]: o["name"] for o in await _operators()}
        query = urlencode(
            {k: v for k, v in {"status": chosen, "operator_id": operator_id}.items() if v}
        )
        return Template(
            "complaints/triggers.html.j2",
            context={
                "rows": [_trigger_view(t) for t in rows[:PAGE_SIZE]],
                "has_next": len(rows) > PAGE_SIZE,
                "offset": offset,
                "page_size": PAGE_SIZE,
                "status": chosen or "",
                "operator_id": operator_id,
                "statuses": [(s, gettext(STATUS_LABELS[s])) for s in TRIGGER_STATUSES],
                "operators": names,
                "base": "/ui/complaints/triggers?" + (query + "&" if query else ""),
            },
        )

    @get("/triggers/{trigger_id:int}", guards=[page_needs("complaints.read")])
    async def trigger(self, trigger_id: Id, actor: CurrentActor) -> Template:
        t = _trigger_view(await services.get_trigger(trigger_id, actor))
        rows = await services.trigger_complaints(t["complaint_ids"])
        dups = await services.duplicates_of(t["complaint_ids"])
        names = {o["id"]: o["name"] for o in await _operators()}
        ext = {r["id"]: f"{r['source']}/{r['external_id']}" for r in rows}
        return Template(
            "complaints/trigger.html.j2",
            context={
                "t": t,
                "complaints": rows,
                "duplicates": [dict(d, first=ext.get(d["duplicate_of"], "")) for d in dups],
                "duplicate_labels": {
                    k: gettext(v) if v else "" for k, v in DUPLICATE_LABELS.items()
                },
                "operator_name": names.get(t["operator"], ""),
            },
        )


ROUTES = [ComplaintPages]
NAV = [NavItem(N_("Complaints"), "/ui/complaints", "complaints.read", order=45)]
DETAIL = {"complaint_trigger": "/ui/complaints/triggers/{id}"}
