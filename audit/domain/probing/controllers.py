"""Probe runs (start, read, reconcile), manual analyses, and the Twilio webhooks."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody, QueryParameter

from audit.api import CurrentActor, Id
from audit.domain.accounts.guards import require
from audit.domain.plans.checklist_versions import pinned_checklist
from audit.domain.probing import listing, services
from audit.domain.probing.channel_webhooks import CHANNEL_WEBHOOKS
from audit.domain.probing.chat_controllers import CHAT_ROUTES
from audit.domain.probing.recordings import RecordingController
from audit.domain.probing.schemas import (
    GreetingOut,
    ProbeRunOut,
    RecordingForm,
    SilentCallOut,
    StartVoiceRun,
    TranscriptIn,
)
from audit.domain.probing.webhooks import TwilioWebhookController
from audit.errors import DomainError
from probes.analysis.audio import AudioError
from probes.analysis.checklist_source import HOTLINE_ID, shipped
from probes.analysis.greeting import GreetingError, rules_of, score_greeting
from probes.analysis.silent_call import (
    ParamError,
    SilentCallParams,
    analyze_recording,
    protocol_params,
)

OptId = Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)]
OptText = Annotated[str | None, QueryParameter(max_length=20)]
Limit = Annotated[int, QueryParameter(ge=1, le=1000)]
Offset = Annotated[int, QueryParameter(ge=0, le=10_000_000)]


class ProbeRunController(Controller):
    path = "/probe-runs"
    tags = ["probing"]

    @post("/", guards=[require("probes.run")], summary="Start a voice probe call")
    async def start(self, data: JSONBody[StartVoiceRun], actor: CurrentActor) -> ProbeRunOut:
        return ProbeRunOut(**await services.start_voice_run(data, actor))

    @get("/", guards=[require("probes.read")],
         summary="List probe runs (filters and paging in SQL, newest first)")  # fmt: skip
    async def list_runs(
        self,
        actor: CurrentActor,
        status: OptText = None,
        kind: OptText = None,
        inspection_id: OptId = None,
        venue_id: OptId = None,
        operator_id: OptId = None,
        plan_id: OptId = None,
        channel: Annotated[Literal["voice", "chat", "upload"] | None, QueryParameter()] = None,
        verdict: Annotated[Literal["pass", "fail", "none"] | None, QueryParameter()] = None,
        since: Annotated[
            dt.datetime | None, QueryParameter(description="started at or after")
        ] = None,
        until: Annotated[dt.datetime | None, QueryParameter(description="started before")] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[ProbeRunOut]:
        for name, value in (("since", since), ("until", until)):
            if value is not None and value.tzinfo is None:
                raise DomainError(f"{name}: give a time zone offset (e.g. +08:00)", field=name)
        f = listing.RunFilter(
            operator_id=operator_id, venue_id=venue_id, channel=channel, kind=kind, verdict=verdict,
            status=status, since=since, until=until, inspection_id=inspection_id,
            plan_id=plan_id,
        )  # fmt: skip
        rows = await listing.list_runs(actor, f, limit=limit, offset=offset)
        return [ProbeRunOut(**r) for r in rows]

    @get("/{run_id:int}", guards=[require("probes.read")])
    async def get_run(self, run_id: Id, actor: CurrentActor) -> ProbeRunOut:
        return ProbeRunOut(**await services.get_run(run_id, actor))

    @post("/{run_id:int}/reconcile", guards=[require("probes.run")], status_code=200,
          summary="Ask the provider how the call went (lost webhooks)")  # fmt: skip
    async def reconcile(self, run_id: Id, actor: CurrentActor) -> ProbeRunOut:
        await services.get_run(run_id, actor)
        return ProbeRunOut(**await services.reconcile(run_id, actor))


class ManualAnalysisController(Controller):
    """The analysers for calls recorded by hand (mystery shoppers), without a probe run."""

    path = "/probe-analysis"
    tags = ["probing"]

    @post("/silent-call", guards=[require("probes.analyse")], status_code=200,
          summary="Silent-call protocol of an uploaded WAV")  # fmt: skip
    async def silent_call(
        self,
        data: Annotated[RecordingForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> SilentCallOut:
        content = await data.file.read()
        given = {
            **protocol_params(shipped(HOTLINE_ID)),
            **{
                f.name: getattr(data, f.name)
                for f in dataclasses.fields(SilentCallParams)
                if getattr(data, f.name, None) is not None
            },
        }
        try:
            params = SilentCallParams.from_params(given, strict=False)
            result = await asyncio.to_thread(
                analyze_recording,
                content,
                params,
                channel=data.channel,
                start_s=data.start_s,
                listen_s=data.listen_s,
            )
        except (AudioError, ParamError) as exc:
            raise DomainError(
                str(exc), field="file" if isinstance(exc, AudioError) else None
            ) from exc
        return SilentCallOut(**result.to_json())

    @post(
        "/greeting",
        guards=[require("probes.analyse")],
        status_code=200,
        summary="Score a greeting transcript",
    )
    async def greeting(self, data: JSONBody[TranscriptIn]) -> GreetingOut:
        checklist = None
        if data.checklist_version_id is not None:
            checklist = await pinned_checklist(data.checklist_version_id)
        try:
            result = score_greeting(
                data.text,
                data.at,
                company=data.company,
                answered_after_s=data.answered_after_s,
                rules=rules_of(checklist),
                extra_forbidden=data.forbidden_phrases or (),
            )
        except GreetingError as exc:
            raise DomainError(str(exc)) from exc
        return GreetingOut(**result.to_json())


ROUTES = [
    ProbeRunController,
    RecordingController,
    ManualAnalysisController,
    TwilioWebhookController,
    *CHAT_ROUTES,
    *CHANNEL_WEBHOOKS,
]
