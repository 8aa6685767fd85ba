"""Voice measures from a run's observations (pure; no database).

Observations (``observe``) are built from the *set* of stored events plus the analysis of the
recording, so duplicates and arrival order cannot change a result. ``measures_for`` gives the
run's measures under default protocol parameters (``binding`` None) or the ones an item is
judged on, with that item's own binding parameters and data lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from probes.analysis.greeting import (
    DEFAULT_FORBIDDEN_PHRASES,
    GreetingError,
    forbidden_heard,
    score_greeting,
)
from probes.analysis.silent_call import SilentCallParams, judge
from probes.analysis.vad import Utterance
from probes.channels.base import Binding
from probes.channels.voice.events import answer, answered_at, call_state, rang, transcript

__all__ = [
    "VOICE_ROOTS",
    "call_state",
    "forbidden_heard",
    "greeting_measures",
    "measures_for",
    "observe",
    "run_measures",
    "silent_measures",
]

VOICE_ROOTS = ("outcome", "answered", "answer_seconds", "rings", "silent_call", "greeting")


def observe(
    events: Sequence[Mapping[str, Any]],
    analysed: Mapping[str, Any],
    params: Mapping[str, Any],
) -> dict[str, Any]:
    """Observations of a call: the answer, the transcript, when it was answered, and what
    ``analysed`` (recording, silent-call analysis) adds."""
    ring_seconds = float(params.get("ring_seconds", 5.0))
    at = answered_at(events)
    observations: dict[str, Any] = dict(analysed)
    observations["answer"] = answer(events, ring_seconds).measures()
    observations["transcript"] = transcript(events)
    observations["call"] = {
        "answered_at": at.isoformat() if at else None,
        "rang": rang(events),
        "company": params.get("company"),
        "ring_seconds": ring_seconds,
    }
    return observations


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


def _answered_at(observations: Mapping[str, Any]) -> datetime | None:
    raw = (observations.get("call") or {}).get("answered_at")
    return datetime.fromisoformat(raw) if raw else None


def measures_for(observations: Mapping[str, Any], binding: Binding | None) -> dict[str, Any] | None:
    """The run's measures (``binding`` None), or those to judge one item with its own binding
    parameters and data; None if the binding is not a voice one."""
    if binding is not None and binding.root not in VOICE_ROOTS:
        return None
    call = observations.get("call") or {}
    base: dict[str, Any] = dict(observations.get("answer") or {})
    if not base.get("answered"):
        return base
    root = binding.root if binding is not None else None
    params = dict(binding.params) if binding is not None and root == "silent_call" else {}
    base.update(silent_measures(observations.get("silent_call"), params))
    forbidden: Sequence[str] = DEFAULT_FORBIDDEN_PHRASES
    timezone, ring_seconds = "Asia/Shanghai", float(call.get("ring_seconds", 5.0))
    if binding is not None and root == "greeting":
        # Only the binding's forbidden lists: its other data (e.g. standard greetings) are
        # examples of what is right, not phrases to catch.
        named = [t for n, texts in binding.data.items() if n.startswith("forbidden") for t in texts]
        forbidden = named or DEFAULT_FORBIDDEN_PHRASES
        timezone = str(binding.params.get("timezone", timezone))
        ring_seconds = float(str(binding.params.get("ring_period_s", 5.0)))
    base.update(
        greeting_measures(
            observations.get("transcript") or [],
            _answered_at(observations),
            company=call.get("company"),
            answered_after_s=base.get("answer_seconds"),
            forbidden=forbidden,
            timezone=timezone,
            ring_seconds=ring_seconds,
        )
    )
    return base


def run_measures(
    events: Sequence[Mapping[str, Any]],
    analysed: Mapping[str, Any],
    params: Mapping[str, Any],
) -> dict[str, Any]:
    """All voice measures of a run under default protocol parameters."""
    return measures_for(observe(events, analysed, params), None) or {}
