"""Voice measures from a run's observations (pure; no database).

Observations (``observe``) are built from the *set* of stored events plus the analysis of the
recording, so duplicates and arrival order cannot change a result. ``measures_for`` gives the
run's measures (``binding`` None) or the ones an item is judged on, with that item's own
binding parameters and data lists. Words are judged with the phrases of the checklist (the
binding's, or the one given; default: the shipped hotline checklist).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from checklists.schema import Checklist
from probes.analysis.checklist_source import HOTLINE_ID, shipped
from probes.analysis.greeting import (
    GreetingError,
    GreetingRules,
    forbidden_heard,
    rules_of,
    score_greeting,
)
from probes.analysis.phrases import PhraseBook
from probes.analysis.silent_call import SilentCallParams, judge, protocol_params
from probes.analysis.silent_closing import judge_closing
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
        "listen_s": params.get("listen_s"),
    }
    return observations


def utterances_of(silent: Mapping[str, Any]) -> list[Utterance]:
    return [Utterance(u["start_s"], u["end_s"]) for u in silent.get("utterances", [])]


def silent_measures(
    silent: Mapping[str, Any] | None,
    params: Mapping[str, Any] | None = None,
    *,
    listen_s: float | None = None,
    lines: Sequence[Mapping[str, Any]] = (),
    book: PhraseBook | None = None,
) -> dict[str, Any]:
    """silent_call.* from the stored audio analysis and, when there is one, the transcript.
    ``listen_s``: how long the probe listened (a recording that long was ended by us)."""
    if not silent:
        return {}
    p = SilentCallParams.from_params(params or {}, strict=False)
    result = judge(utterances_of(silent), float(silent["duration_s"]), p, listen_s=listen_s)
    measures = result.measures()
    if lines and book is not None:
        words = judge_closing([str(line["text"]) for line in lines], book).measures()
        if result.verdict == "inconclusive":
            words["silent_call"]["closing"] = None  # it may have come after we hung up
        measures["silent_call"].update(words["silent_call"])
    return measures


def greeting_measures(
    lines: Sequence[Mapping[str, Any]],
    at: datetime | None,
    *,
    company: str | None,
    answered_after_s: float | None,
    rules: GreetingRules | None = None,
    timezone: str | None = None,
    ring_seconds: float | None = None,
) -> dict[str, Any]:
    """greeting.* from the first thing the agent said; forbidden phrases from everything."""
    if not lines or at is None:
        return {}
    texts = [str(line["text"]) for line in lines]
    try:
        opening = score_greeting(
            texts[0], at, company=company, answered_after_s=answered_after_s, rules=rules,
            later_lines=texts[1:], timezone=timezone, ring_seconds=ring_seconds,
        )  # fmt: skip
    except GreetingError:
        return {}
    measures = opening.measures()
    measures["greeting"]["matches"] = [m.to_json() for m in opening.matches]
    return measures


def _answered_at(observations: Mapping[str, Any]) -> datetime | None:
    raw = (observations.get("call") or {}).get("answered_at")
    return datetime.fromisoformat(raw) if raw else None


def _listen_s(call: Mapping[str, Any]) -> float | None:
    value = call.get("listen_s")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def measures_for(
    observations: Mapping[str, Any],
    binding: Binding | None,
    checklist: Checklist | None = None,
) -> dict[str, Any] | None:
    """The run's measures (``binding`` None), or those to judge one item with its own binding
    parameters and data; None if the binding is not a voice one. ``checklist``: whose
    phrases and protocol judge (default: the binding's, else the shipped hotline)."""
    if binding is not None and binding.root not in VOICE_ROOTS:
        return None
    checklist = checklist or (binding.checklist if binding is not None else None)
    call = observations.get("call") or {}
    base: dict[str, Any] = dict(observations.get("answer") or {})
    if not base.get("answered"):
        return base
    root = binding.root if binding is not None else None
    rules = rules_of(checklist)
    lines = observations.get("transcript") or []
    if binding is not None and root == "silent_call":
        protocol: Mapping[str, Any] = binding.params
    else:
        protocol = protocol_params(checklist or shipped(HOTLINE_ID))
    base.update(
        silent_measures(
            observations.get("silent_call"),
            protocol,
            listen_s=_listen_s(call),
            lines=lines,
            book=rules.book,
        )
    )
    timezone, ring_seconds = None, float(call.get("ring_seconds", 5.0))
    if binding is not None and root == "greeting":
        # Only the binding's forbidden lists: its other data (e.g. standard greetings) are
        # examples of what is right, not phrases to catch.
        named = tuple(n for n in binding.data if n.startswith("forbidden"))
        if named:
            rules = dataclasses.replace(rules, forbidden_lists=named)
        timezone = str(binding.params.get("timezone", rules.timezone))
        ring_seconds = float(str(binding.params.get("ring_period_s", rules.ring_seconds)))
    base.update(
        greeting_measures(
            lines,
            _answered_at(observations),
            company=call.get("company"),
            answered_after_s=base.get("answer_seconds"),
            rules=rules,
            timezone=timezone,
            ring_seconds=ring_seconds,
        )
    )
    return base


def run_measures(
    events: Sequence[Mapping[str, Any]],
    analysed: Mapping[str, Any],
    params: Mapping[str, Any],
    checklist: Checklist | None = None,
) -> dict[str, Any]:
    """All voice measures of a run, judged by ``checklist`` (default: the shipped hotline)."""
    return measures_for(observe(events, analysed, params), None, checklist) or {}
