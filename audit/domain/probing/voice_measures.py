"""Voice measures from what a run has collected (pure; no database).

Everything is recomputed from the *set* of stored events, so duplicates and arrival order
cannot change a result (issue 4: a ``completed`` before ``answered`` still gives the right
answer time once both are in). Inputs: status events (Twilio CallStatus + provider time),
transcription events, and the stored silent-call analysis of the recording.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from checklists.schema import Checklist, Item
from probes.analysis.answer import AnswerResult, StatusEvent, analyze_answer
from probes.analysis.greeting import (
    DEFAULT_FORBIDDEN_PHRASES,
    GreetingError,
    forbidden_heard,
    score_greeting,
)
from probes.analysis.silent_call import SilentCallParams, judge
from probes.analysis.vad import Utterance

# Clause boundaries in transcripts (ASCII and full-width punctuation).
# Forbidden phrases this short ("什么?", "喂") are retorts only when said on their own;
TERMINAL = ("completed", "busy", "no-answer", "failed", "canceled")
VOICE_ROOTS = ("outcome", "answered", "answer_seconds", "rings", "silent_call", "greeting")


def _at(event: Mapping[str, Any]) -> datetime | None:
    at = event.get("at")
    if isinstance(at, str):
        return datetime.fromisoformat(at)
    return at if isinstance(at, datetime) else None


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
    names = {e["name"] for e in events if e["kind"] == "status"}
    if names & set(TERMINAL):
        return "ended"
    if "in-progress" in names:
        return "in_call"
    return "dialing"


def terminal_event(events: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    for e in events:
        if e["kind"] == "status" and e["name"] in TERMINAL:
            return e
    return None


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
    return rows


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


def utterances_of(silent: Mapping[str, Any]) -> list[Utterance]:
    return [Utterance(u["start_s"], u["end_s"]) for u in silent.get("utterances", [])]


def silent_measures(
    silent: Mapping[str, Any] | None, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    if not silent:
        return {}
    p = SilentCallParams.from_params(params or {}, strict=False)
    result = judge(utterances_of(silent), float(silent["duration_s"]), p)
    return result.measures()


def greeting_measures(
    lines: Sequence[Mapping[str, Any]],
    at: datetime | None,
    *,
    company: str | None,
    answered_after_s: float | None,
    forbidden: Sequence[str] = DEFAULT_FORBIDDEN_PHRASES,
    timezone: str = "Asia/Shanghai",
    ring_seconds: float = 5.0,
) -> dict[str, Any]:
    """greeting.* from the first thing the agent said; forbidden phrases from everything."""
    if not lines or at is None:
        return {}
    try:
        opening = score_greeting(
            str(lines[0]["text"]), at, company=company, answered_after_s=answered_after_s,
            forbidden_phrases=(), timezone=timezone, ring_seconds=ring_seconds,
        )  # fmt: skip
    except GreetingError:
        return {}
    measures = opening.measures()
    heard = forbidden_heard([str(line["text"]) for line in lines], forbidden)
    measures["greeting"]["forbidden_phrases"] = heard
    if heard:
        measures["greeting"]["verdict"] = "fail"
    return measures


def run_measures(
    events: Sequence[Mapping[str, Any]],
    observations: Mapping[str, Any],
    params: Mapping[str, Any],
) -> dict[str, Any]:
    """All voice measures of a run under default protocol parameters."""
    ring_seconds = float(params.get("ring_seconds", 5.0))
    ans = answer(events, ring_seconds)
    measures: dict[str, Any] = ans.measures()
    if ans.answered:
        measures.update(silent_measures(observations.get("silent_call")))
        measures.update(
            greeting_measures(
                transcript(events),
                answered_at(events),
                company=params.get("company"),
                answered_after_s=ans.answer_seconds,
                ring_seconds=ring_seconds,
            )
        )
    return measures


def _data(checklist: Checklist, names: Sequence[str]) -> list[str]:
    return [e.text for name in names for e in checklist.data.get(name, [])]


def item_measures(
    item: Item,
    checklist: Checklist,
    events: Sequence[Mapping[str, Any]],
    observations: Mapping[str, Any],
    params: Mapping[str, Any],
    base: Mapping[str, Any],
) -> dict[str, Any] | None:
    """The measures to judge ``item`` with its own binding parameters and data; None if
    the item is not a voice item."""
    binding = item.measure
    if binding is None or binding.measure.split(".")[0] not in VOICE_ROOTS:
        return None
    measures = dict(base)
    root = binding.measure.split(".")[0]
    if root == "silent_call" and base.get("answered"):
        measures.update(silent_measures(observations.get("silent_call"), binding.params))
    if root == "greeting" and base.get("answered"):
        # Only the binding's forbidden lists: its other data (e.g. standard greetings) are
        # examples of what is right, not phrases to catch.
        forbidden = _data(checklist, [n for n in binding.data if n.startswith("forbidden")])
        measures.update(
            greeting_measures(
                transcript(events),
                answered_at(events),
                company=params.get("company"),
                answered_after_s=base.get("answer_seconds"),
                forbidden=forbidden if forbidden else DEFAULT_FORBIDDEN_PHRASES,
                timezone=str(binding.params.get("timezone", "Asia/Shanghai")),
                ring_seconds=float(str(binding.params.get("ring_period_s", 5.0))),
            )
        )
    return measures
