"""Twilio voice callbacks as events: status callbacks (CallStatus) and real-time transcription
callbacks (TranscriptionEvent), and the call resource read back when webhooks were lost.

Everything downstream is a function of the *set* of events, so duplicates and arrival order
cannot change a result (a ``completed`` before ``answered`` still gives the right answer time
once both are in).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from probes.analysis.answer import AnswerResult, StatusEvent, analyze_answer
from probes.channels.base import ChannelError, Event, Phase

# Twilio "Call Status Values" that end a call.
TERMINAL = ("completed", "busy", "no-answer", "failed", "canceled")


def read_event(kind: str, params: Mapping[str, Any]) -> Event:
    """A status or transcription callback as an :class:`Event` (dedupe key, name, time)."""
    try:
        if kind == "status":
            name = str(params.get("CallStatus", ""))
            stamp = params.get("Timestamp")
            at = parsedate_to_datetime(str(stamp)) if stamp else None
            key = f"status:{params.get('CallSid', '')}:{name}"
        else:
            name = str(params.get("TranscriptionEvent", ""))
            stamp = params.get("Timestamp")
            at = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")) if stamp else None
            key = (
                f"transcription:{params.get('TranscriptionSid', '')}:{params.get('SequenceId', '')}"
            )
    except (TypeError, ValueError) as exc:
        raise ChannelError(f"unreadable Timestamp in callback: {exc}", field="Timestamp") from exc
    ref = str(params.get("CallSid") or "") or None
    return Event(key, kind, name, at, dict(params), ref)


def phase(names: set[str]) -> Phase:
    """dialing | in_call | ended from the status names seen (``status:<CallStatus>``)."""
    statuses = {n.removeprefix("status:") for n in names if n.startswith("status:")}
    if statuses & set(TERMINAL):
        return "ended"
    if "in-progress" in statuses:
        return "in_call"
    return "dialing"


def _at(event: Mapping[str, Any]) -> datetime | None:
    at = event.get("at")
    if isinstance(at, str):
        return datetime.fromisoformat(at)
    return at if isinstance(at, datetime) else None


def as_dicts(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "name": e.name, "at": e.at, "params": e.params} for e in events]


def status_events(events: Sequence[Mapping[str, Any]]) -> list[StatusEvent]:
    out = []
    for e in events:
        at = _at(e)
        if e["kind"] != "status" or at is None:
            continue
        raw = (e.get("params") or {}).get("CallDuration")
        duration = float(raw) if raw not in (None, "") else None
        out.append(StatusEvent(str(e["name"]), at, duration if e["name"] == "completed" else None))
    return out


def answer(events: Sequence[Mapping[str, Any]], ring_seconds: float) -> AnswerResult:
    return analyze_answer(status_events(events), ring_seconds=ring_seconds)


def call_state(events: Sequence[Mapping[str, Any]]) -> str:
    """dialing | in_call | ended, from the statuses seen (any order)."""
    return phase({f"status:{e['name']}" for e in events if e["kind"] == "status"})


def terminal_event(events: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    for e in events:
        if e["kind"] == "status" and e["name"] in TERMINAL:
            return e
    return None


def rang(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the operator's line rang at all (abandonment needs it)."""
    return any(e["kind"] == "status" and e["name"] in ("ringing", "in-progress") for e in events)


def transcript(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Final transcription results of the callee track, in the order they were spoken."""
    rows = []
    for e in events:
        p = e.get("params") or {}
        if e["kind"] != "transcription" or e["name"] != "transcription-content":
            continue
        if p.get("Final", "true") != "true":
            continue
        try:
            text = str(json.loads(p.get("TranscriptionData", "{}")).get("transcript", ""))
        except ValueError:
            continue
        if text:
            seq = int(p["SequenceId"]) if str(p.get("SequenceId", "")).isdigit() else 0
            at = _at(e)
            rows.append({"at": at.isoformat() if at else None, "seq": seq, "text": text})
    rows.sort(key=lambda r: (str(r["at"] or ""), r["seq"]))
    # A repeated callback is the same line, not the agent saying it twice.
    unique = {(r["at"], r["seq"], r["text"]): r for r in rows}
    return list(unique.values())


def answered_at(events: Sequence[Mapping[str, Any]]) -> datetime | None:
    """When the callee picked up: the answered event, else end minus call duration."""
    result = None
    for ev in status_events(events):
        if ev.status == "in-progress" and (result is None or ev.at < result):
            result = ev.at
    if result is not None:
        return result
    for ev in status_events(events):
        if ev.status == "completed" and ev.call_duration_s is not None:
            return ev.at - timedelta(seconds=ev.call_duration_s)
    return None


def recording_sid(events: Sequence[Mapping[str, Any]]) -> str | None:
    done = terminal_event(events)
    sid = (done or {}).get("params", {}).get("RecordingSid") if done else None
    return str(sid) if sid else None


def events_from_call_resource(call_sid: str, call: Mapping[str, Any]) -> list[dict[str, str]]:
    """Status callbacks reconstructed from a fetched call resource (when webhooks were lost)."""
    status = str(call.get("status") or "")
    out: list[dict[str, str]] = []
    start, end = call.get("start_time"), call.get("end_time")
    duration = str(call.get("duration") or "0")
    if start is not None and status in ("in-progress", "completed"):
        out.append(
            {"CallSid": call_sid, "CallStatus": "in-progress", "Timestamp": format_datetime(start)}
        )
    if status in TERMINAL and end is not None:
        out.append(
            {
                "CallSid": call_sid,
                "CallStatus": status,
                "Timestamp": format_datetime(end),
                "CallDuration": duration,
            }
        )
    return out
