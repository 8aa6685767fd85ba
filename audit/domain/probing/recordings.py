"""Hand-made mystery-shopper recordings as probe runs.

A person calls a venue with their phone, records the call (WAV, MP3, M4A/AAC, AMR) and
sends it in with the call's time, the venue, optionally what the agent said (typed) and the
IVR offset (sound before it — a menu — is not judged). The recording is judged as a probe's
is (silent-call protocol from the callee channel; greeting from the transcript, at the
call's local time), kept as evidence, and stored as a completed voice run with
``provider = "upload"``; given an inspection, its voice-bound items get the measures as a
probe's would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Annotated, Any

from litestar import Controller, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from pydantic import ConfigDict, Field

from audit.api import CurrentActor
from audit.context import Actor
from audit.db import engine
from audit.domain.accounts.guards import require
from audit.domain.auditlog.services import record
from audit.domain.probing.access import load_run
from audit.domain.probing.listing import UPLOAD_PROVIDER
from audit.domain.probing.schemas import ProbeRunOut
from audit.domain.probing.tables import ProbeRun
from audit.errors import DomainError, NotFound
from audit.validation import ApiIn, ObservedDatetime

MAX_TRANSCRIPT = 20_000


class RecordingUpload(ApiIn):
    """multipart/form-data: the recording and what the person who made it knows."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    file: UploadFile
    venue_id: int = Field(gt=0, le=2_147_483_647)
    called_at: ObservedDatetime  # when the call was made (with its UTC offset)
    # What the agent said, one line per utterance (typed by the caller; optional).
    transcript: str | None = Field(default=None, max_length=MAX_TRANSCRIPT)
    # Seconds of IVR menu at the start that are not the agent (not judged).
    ivr_offset_s: float | None = Field(default=None, ge=0, le=3600)
    channel: int | None = Field(default=None, ge=0, le=7)  # default: the louder one
    inspection_id: int | None = Field(default=None, gt=0, le=2_147_483_647)
    company: str | None = Field(default=None, max_length=200)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


async def _where(data: RecordingUpload, actor: Actor) -> dict[str, Any]:
    from audit.domain.inspections.access import get_writable
    from audit.domain.operators.tables import Venue

    if actor.is_operator:
        raise NotFound(f"venue {data.venue_id} not found", field="venue_id")
    venue = await Venue.select().where(Venue._meta.primary_key == data.venue_id).first()
    if venue is None:
        raise NotFound(f"venue {data.venue_id} not found", field="venue_id")
    plan_id = None
    if data.inspection_id is not None:
        inspection = await get_writable(data.inspection_id, actor)
        if inspection["venue_id"] != data.venue_id:
            raise DomainError(
                f"inspection {data.inspection_id} is of venue {inspection['venue_id']}, "
                f"not of venue {data.venue_id}",
                field="inspection_id",
            )
        plan_id = inspection["plan_id"]
    phones = venue["phones"]
    phones = json.loads(phones) if isinstance(phones, str) else list(phones or [])
    return {
        "venue": venue,
        "plan_id": plan_id,
        "target": (phones[0] if phones else venue["name"])[:500],
        "company": data.company or venue["company_name"],
    }


async def _checklist(inspection_id: int | None) -> Any:
    from audit.domain.probing.finish import run_checklist
    from probes.analysis.checklist_source import HOTLINE_ID, shipped

    found = await run_checklist({"inspection_id": inspection_id})
    return found or shipped(HOTLINE_ID)


def _analyse(content: bytes, params: Any, channel: int | None, start_s: float) -> Any:
    from probes.analysis.silent_call import analyze_recording

    return analyze_recording(content, params, channel=channel, start_s=start_s)


async def store_recording(
    data: RecordingUpload, content: bytes, actor: Actor, *, file_name: str | None = None
) -> dict[str, Any]:
    """Judge the recording, keep it as evidence and store the run; returns the run."""
    from audit.domain.evidence.services import store_evidence
    from probes.analysis.audio import AudioError
    from probes.analysis.silent_call import ParamError, SilentCallParams, protocol_params
    from probes.channels.voice.measures import measures_for

    where = await _where(data, actor)
    if not content:
        raise DomainError("the file is empty", field="file")
    checklist = await _checklist(data.inspection_id)
    start_s = float(data.ivr_offset_s or 0.0)
    try:
        params = SilentCallParams.from_params(protocol_params(checklist), strict=False)
        result = await asyncio.to_thread(_analyse, content, params, data.channel, start_s)
    except AudioError as exc:
        raise DomainError(f"recording cannot be analysed: {exc}", field="file") from exc
    except ParamError as exc:
        raise DomainError(str(exc), field="channel") from exc
    except IndexError as exc:  # a channel the file does not have
        raise DomainError(f"the recording has no channel {data.channel}", "channel") from exc
    evidence = await store_evidence(content, "recording", file_name or "recording", actor)
    called_at = data.called_at.astimezone(dt.UTC)
    lines = _lines(data.transcript)
    observations: dict[str, Any] = {
        # Picked up by a person: answered, but when is not known from the recording alone.
        "answer": {"outcome": "answered", "answered": True, "answer_seconds": None, "rings": None},
        "call": {
            "answered_at": (called_at + dt.timedelta(seconds=start_s)).isoformat(),
            "rang": None,
            "company": where["company"],
            "ring_seconds": 5.0,
            "listen_s": None,
        },
        "transcript": [
            {"at": called_at.isoformat(), "seq": i, "text": line} for i, line in enumerate(lines)
        ],
        "silent_call": {**result.to_json(), "duration_s": result.duration_s},
        "recording": {
            "sha256": evidence["sha256"],
            "size": evidence["size"],
            "evidence_id": evidence["id"],
            "media_type": evidence["media_type"],
        },
        "upload": {"channel": data.channel, "start_s": start_s, "file_name": file_name},
    }
    measures = measures_for(observations, None, checklist) or {}
    now = dt.datetime.now(dt.UTC)
    async with engine().transaction():
        rows = await ProbeRun.insert(
            ProbeRun(
                kind="voice",
                status="completed",
                venue=data.venue_id,
                operator=where["venue"]["operator"],
                plan=where["plan_id"],
                inspection=data.inspection_id,
                target=where["target"],
                provider=UPLOAD_PROVIDER,
                outcome="answered",
                params={"company": where["company"], "ring_seconds": 5.0, "listen_s": None},
                measures=measures,
                observations=observations,
                evidence_ids=[evidence["id"]],
                created_by=actor.id,
                created_at=now,
                started_at=called_at,
                ended_at=called_at + dt.timedelta(seconds=result.duration_s),
                updated_at=now,
            )
        ).returning(ProbeRun.id)
        run_id = int(rows[0]["id"])
        after = {"evidence_id": evidence["id"], "verdict": result.verdict}
        await record(actor, "probe_run.upload", "probe_run", run_id, None, after)
    if data.inspection_id is not None:
        await _hand_to_items(run_id, checklist, observations, [int(evidence["id"])])
    return await load_run(run_id)


async def _hand_to_items(
    run_id: int, checklist: Any, observations: dict[str, Any], evidence_ids: list[int]
) -> None:
    """The inspection's voice-bound items judged as a probe call's are (probing.finish)."""
    from audit.domain.probing.finish import bind_items
    from audit.domain.probing.store import channel_of
    from probes.channels.base import Collected

    run = await load_run(run_id)
    results = await bind_items(
        run, channel_of(run), checklist, observations, Collected(observations, evidence_ids)
    )
    await ProbeRun.update({ProbeRun.item_results: results}).where(ProbeRun.id == run_id)


class RecordingController(Controller):
    path = "/probe-runs/recordings"
    tags = ["probing"]

    @post("/", guards=[require("probes.run")],
          summary="Store a hand-made call recording as a judged probe run")  # fmt: skip
    async def upload(
        self,
        data: Annotated[RecordingUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        actor: CurrentActor,
    ) -> ProbeRunOut:
        content = await data.file.read()
        run = await store_recording(data, content, actor, file_name=data.file.filename)
        return ProbeRunOut(**run)
