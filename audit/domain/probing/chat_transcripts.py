"""Scoring a posted chat transcript (the ``score-chat`` contract over the API); with a venue,
the result is kept as a completed chat run whose provider is ``transcript``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.operators.services import get_venue
from audit.domain.probing.chat import CHAT_VENUE_KINDS
from audit.domain.probing.tables import ProbeRun
from audit.errors import DomainError, NotFound
from probes.analysis.chat_scoring import DEFAULT_CHECKLIST_ID, find_checklist, score_chat
from probes.analysis.chat_transcript import TranscriptError, parse_transcript


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def score_transcript(
    actor: Actor,
    transcript: dict[str, Any],
    *,
    checklist_id: str = DEFAULT_CHECKLIST_ID,
    sessions_per_day: int | None = None,
    taobao: bool = False,
    venue_id: int | None = None,
) -> dict[str, Any]:
    """Score a posted transcript (the ``score-chat`` contract). With ``venue_id`` the result is
    kept as a completed chat run (provider ``transcript``) and its id returned."""
    try:
        parsed = parse_transcript(transcript)
    except TranscriptError as exc:
        raise DomainError(f"transcript: {exc}", field="transcript") from exc
    try:
        checklist = find_checklist(checklist_id)
    except LookupError as exc:
        raise DomainError(str(exc), field="checklist_id") from exc
    venue = None
    if venue_id is not None:
        if actor.is_operator:
            raise NotFound("no such venue", field="venue_id")
        venue = await get_venue(venue_id, actor)
        if venue["kind"] not in CHAT_VENUE_KINDS:
            raise DomainError(f"venue {venue_id} is not a chat venue", field="venue_id")
        if sessions_per_day is None:
            sessions_per_day = venue.get("sessions_per_day")
    scored, analysis = score_chat(
        parsed, checklist, sessions_per_day=sessions_per_day, taobao=taobao
    )
    out: dict[str, Any] = {**scored, "run_id": None}
    if venue is not None:
        observations = {"transcript": parsed.to_json(), "details": analysis.details(),
                        "items": scored["items"], "verdict": scored["verdict"]}  # fmt: skip
        async with engine().transaction():
            rows = await ProbeRun.insert(
                ProbeRun(
                    kind="chat", status="completed", outcome="completed", venue=venue_id,
                    operator=venue["operator_id"], target=(venue.get("urls") or [venue["name"]])[0][:500],
                    provider="transcript", params={"checklist_id": checklist_id,
                    "sessions_per_day": sessions_per_day, "taobao": taobao},
                    measures=scored["measures"], observations=observations, created_by=actor.id,
                    created_at=_now(), started_at=_now(), ended_at=_now(), updated_at=_now(),
                )
            ).returning(ProbeRun.id)  # fmt: skip
            out["run_id"] = int(rows[0]["id"])
            await record(actor, "probe_run.score_transcript", "probe_run", out["run_id"], None,
                         {"verdict": scored["verdict"]})  # fmt: skip
    return out
