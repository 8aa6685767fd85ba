"""Probe runs: the list (filters by operator, venue, channel, verdict and date, paged in SQL),
a run's page (the call's picture, the recording, the transcript with the matched phrases, the
items' verdicts with reasons; a chat's messages with waits and screenshots), the recording
file (access-checked: only evidence of a run the user may read), and the form that sends
in a hand-made mystery-shopper recording."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import File, Redirect, Template

from audit.api import CurrentActor, Id, Offset
from audit.domain.accounts import roles
from audit.domain.operators.tables import Operator, Venue
from audit.domain.probing import listing
from audit.domain.probing.recordings import RecordingUpload, store_recording
from audit.errors import Conflict, DomainError, NotFound
from audit.settings import get_settings
from audit.web import run_view
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, errors_from, page_needs, read_form, validate_form

PAGE_SIZE = 50
CHANNELS = {"voice": N_("Call"), "chat": N_("Chat"), "upload": N_("Recording sent in")}
VERDICTS = {"pass": N_("pass"), "fail": N_("fail"), "none": N_("not judged")}
STATUSES = {
    "queued": N_("queued"),
    "dialing": N_("dialling"),
    "in_call": N_("in call"),
    "analysing": N_("analysing"),
    "completed": N_("completed"),
    "analysis_failed": N_("analysis failed"),
    "probe_error": N_("probe error"),
    "canceled": N_("cancelled"),
}
RESULTS = {"pass": N_("pass"), "fail": N_("fail"), "na": N_("not applicable")}
OptId = Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)]
DateParam = Annotated[dt.date | None, QueryParameter()]
Choice = Annotated[str | None, QueryParameter(max_length=20)]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=get_settings().zone)


def labels() -> dict[str, Any]:
    return {
        "channel_words": {k: gettext(v) for k, v in CHANNELS.items()},
        "verdict_words": {k: gettext(v) for k, v in VERDICTS.items()},
        "status_words": {k: gettext(v) for k, v in STATUSES.items()},
        "result_words": {k: gettext(v) for k, v in RESULTS.items()},
    }


def channel_of(run: dict[str, Any]) -> str:
    return "upload" if run["provider"] == listing.UPLOAD_PROVIDER else str(run["kind"])


async def _protocol(run: dict[str, Any]) -> dict[str, Any]:
    from audit.domain.probing.finish import run_checklist
    from probes.analysis.checklist_source import HOTLINE_ID, shipped
    from probes.analysis.silent_call import protocol_params

    return protocol_params(await run_checklist(run) or shipped(HOTLINE_ID))


async def _upload_context(actor: Any, values: dict[str, Any]) -> dict[str, Any]:
    venues = await (
        Venue.select(Venue.id, Venue.name, Venue.operator.name.as_alias("operator_name"))
        .where(Venue.kind.is_in(["hotline", "info_line", "business_hall", "agency_point"]))
        .order_by(Venue.operator)
        .order_by(Venue.id)
        .limit(1000)
    )
    return {"venues": venues, "values": values}


class ProbeRunPages(PageController):
    path = "/ui/probe-runs"

    @get("/", guards=[page_needs("workbench")])
    async def index(
        self,
        actor: CurrentActor,
        operator_id: OptId = None,
        venue_id: OptId = None,
        channel: Choice = None,
        verdict: Choice = None,
        since: DateParam = None,
        until: DateParam = None,
        offset: Offset = 0,
    ) -> Template:
        f = listing.RunFilter(
            operator_id=operator_id,
            venue_id=venue_id,
            channel=channel if channel in CHANNELS else None,
            verdict=verdict if verdict in VERDICTS else None,
            since=_midnight(since) if since else None,
            until=_midnight(until + dt.timedelta(days=1)) if until else None,
        )
        rows = await listing.list_runs(actor, f, limit=PAGE_SIZE + 1, offset=offset)
        filters = {
            "operator_id": operator_id or "",
            "venue_id": venue_id or "",
            "channel": f.channel or "",
            "verdict": f.verdict or "",
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        }
        query = urlencode({k: v for k, v in filters.items() if v})
        venues: list[dict[str, Any]] = []
        if operator_id is not None:
            venues = await (
                Venue.select(Venue.id, Venue.name)
                .where(Venue.operator == operator_id)
                .order_by(Venue.id)
                .limit(500)
            )
        return Template(
            "probe_runs/list.html.j2",
            context={
                "runs": [{**r, "channel": channel_of(r)} for r in rows[:PAGE_SIZE]],
                "has_next": len(rows) > PAGE_SIZE,
                "offset": offset,
                "page_size": PAGE_SIZE,
                "filters": filters,
                "base": "/ui/probe-runs?" + (query + "&" if query else ""),
                "operators": await Operator.select(Operator.id, Operator.name).order_by(
                    Operator.name
                ),
                "venues": venues,
                "may_upload": roles.can(actor.role, "probes.run"),
                **labels(),
            },
        )

    @get("/{run_id:int}", guards=[page_needs("workbench")])
    async def detail(self, run_id: Id, actor: CurrentActor) -> Template:
        run = await listing.run_detail(run_id, actor)
        observations = run.get("observations") or {}
        measures = run.get("measures") or {}
        context: dict[str, Any] = {"run": run, "channel": channel_of(run), **labels()}
        context["items"] = await listing.item_verdicts(run)
        if run["kind"] == "chat":
            details = observations.get("details") or {}
            messages = (observations.get("transcript") or {}).get("messages") or []
            delays = {int(d["agent_index"]): d for d in details.get("reply_delays") or []}
            context["messages"] = run_view.lines_marked(
                messages, details.get("phrase_matches") or []
            )
            context["delays"] = delays
            context["long_waits"] = details.get("long_waits") or []
            context["screenshots"] = [e for e in run["evidence"] if e["kind"] == "screenshot"]
        else:
            protocol = await _protocol(run)
            bounds = run_view.bounds_of(protocol)
            greeting = measures.get("greeting") or {}
            context.update(
                picture=await run_view.call_picture(run, protocol),
                bounds=bounds,
                silent=observations.get("silent_call"),
                silent_verdict=(measures.get("silent_call") or {}).get("verdict"),
                silent_inconclusive=(measures.get("silent_call") or {}).get("inconclusive"),
                silent_words=run_view.silent_reasons(
                    observations.get("silent_call") or {}, measures, bounds
                ),
                greeting=greeting,
                greeting_words=run_view.greeting_reasons(greeting),
                lines=run_view.lines_marked(
                    observations.get("transcript") or [], greeting.get("matches") or []
                ),
                recordings=[e for e in run["evidence"] if e["kind"] == "recording"],
            )
        return Template("probe_runs/detail.html.j2", context=context)

    @get("/{run_id:int}/evidence/{evidence_id:int}/content", guards=[page_needs("evidence.read")])
    async def evidence(self, run_id: Id, evidence_id: Id, actor: CurrentActor) -> File:
        """A recording or screenshot of the run, to users who may read the run."""
        from audit.domain.evidence.services import blob_file, get_evidence, verify_row

        run = await listing.run_detail(run_id, actor)
        if evidence_id not in [int(i) for i in run["evidence_ids"] or []]:
            raise NotFound(f"evidence {evidence_id} is not of probe run {run_id}")
        row = await get_evidence(evidence_id)
        if verify_row(row)["status"] != "ok":
            raise Conflict(f"evidence {evidence_id} does not match its recorded hash; not served")
        return File(
            path=blob_file(row),
            media_type=row["media_type"],
            filename=row["original_name"] or row["sha256"],
            content_disposition_type="inline",
        )

    @get("/recordings/new", guards=[page_needs("probes.run")])
    async def upload_form(
        self, actor: CurrentActor, inspection_id: OptId = None, venue_id: OptId = None
    ) -> Template:
        values = {"inspection_id": inspection_id or "", "venue_id": venue_id}
        return Template(
            "probe_runs/upload.html.j2",
            context={**await _upload_context(actor, values), "errors": {}},
        )

    @post("/recordings", guards=[page_needs("probes.run")])
    async def upload(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
        form = await read_form(request)
        values = {k: v for k, v in form.items() if k != "file"}
        data = {k: (None if v in ("", None) else v) for k, v in values.items()}
        errors: dict[str, str] = {}
        upload = form.get("file")
        if upload is None or not getattr(upload, "filename", ""):
            errors["file"] = gettext("Choose the recording to send.")
        data["file"] = upload
        called = data.get("called_at")
        if called:
            try:
                # The form's datetime-local has no zone: it is the regulator's local time.
                local = dt.datetime.fromisoformat(str(called))
                if local.tzinfo is None:
                    local = local.replace(tzinfo=get_settings().zone)
                data["called_at"] = local
            except ValueError:
                errors["called_at"] = gettext("Enter a date and time.")
        model, schema_errors = validate_form(RecordingUpload, data)
        errors = {**schema_errors, **errors}
        if model is not None and not errors:
            try:
                content = await upload.read()  # type: ignore[union-attr]
                run = await store_recording(model, content, actor, file_name=upload.filename)  # type: ignore[union-attr]
            except DomainError as exc:
                errors = errors_from(exc)
            else:
                return Redirect(f"/ui/probe-runs/{run['id']}", status_code=303)
        return Template(
            "probe_runs/upload.html.j2",
            status_code=422,
            context={**await _upload_context(actor, values), "errors": errors},
        )


ROUTES = [ProbeRunPages]
NAV = [NavItem(N_("Probe runs"), "/ui/probe-runs", "workbench", order=40)]
DETAIL = {"probe_run": "/ui/probe-runs/{id}"}
