"""Answer outcome, seconds and rings from status events in any order, with duplicates."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from probes.analysis.answer import AnswerError, StatusEvent, analyze_answer, rings_for

T0 = datetime(2026, 6, 2, 6, 20, tzinfo=UTC)


def ev(status: str, seconds: float, duration: float | None = None) -> StatusEvent:
    return StatusEvent(status, T0 + timedelta(seconds=seconds), duration)


def test_answered_call() -> None:
    result = analyze_answer(
        [ev("initiated", 0), ev("ringing", 1.0), ev("in-progress", 13.5), ev("completed", 50)]
    )
    assert (result.outcome, result.answer_seconds, result.rings) == ("answered", 12.5, 3)
    assert result.measures() == {
        "outcome": "answered",
        "answered": True,
        "answer_seconds": 12.5,
        "rings": 3,
    }


def test_any_arrival_order_and_duplicates_give_the_same_result() -> None:
    events = [ev("initiated", 0), ev("ringing", 1), ev("in-progress", 21), ev("completed", 60)]
    expected = analyze_answer(events)
    assert expected.answer_seconds == 20.0 and expected.rings == 4
    for order in itertools.permutations(events):
        assert analyze_answer([*order, *order[:2]]) == expected


def test_repeated_report_keeps_the_earliest_time() -> None:
    result = analyze_answer([ev("ringing", 1), ev("ringing", 3), ev("in-progress", 6)])
    assert result.answer_seconds == 5.0


def test_completed_without_answered_event_uses_the_call_duration() -> None:
    result = analyze_answer([ev("ringing", 2), ev("completed", 60, duration=40)])
    assert (result.outcome, result.answer_seconds, result.rings) == ("answered", 18.0, 4)


def test_completed_without_duration_is_answered_at_an_unknown_time() -> None:
    result = analyze_answer([ev("ringing", 2), ev("completed", 60)])
    assert (result.outcome, result.answer_seconds, result.rings) == ("answered", None, None)


def test_no_ringing_event_measures_from_initiated() -> None:
    assert analyze_answer([ev("initiated", 0), ev("answered", 4)]).answer_seconds == 4.0


@pytest.mark.parametrize(
    ("final", "outcome"),
    [
        ("busy", "busy"),
        ("no-answer", "no_answer"),
        ("failed", "failed"),
        ("canceled", "canceled"),
    ],
)
def test_unanswered_outcomes(final: str, outcome: str) -> None:
    result = analyze_answer([ev(final, 30), ev("ringing", 1), ev("initiated", 0)])
    assert (result.outcome, result.answered, result.answer_seconds, result.rings) == (
        outcome,
        False,
        None,
        None,
    )


def test_call_still_ringing_has_no_outcome() -> None:
    assert analyze_answer([ev("initiated", 0), ev("ringing", 1)]).outcome is None


@pytest.mark.parametrize(
    ("seconds", "rings"),
    [(0.0, 0), (0.4, 1), (5.0, 1), (5.1, 2), (15.0, 3), (15.000000001, 3), (15.2, 4)],
)
def test_ring_cadence_default_5_s(seconds: float, rings: int) -> None:
    assert rings_for(seconds) == rings


def test_configurable_ring_cadence() -> None:
    events = [ev("ringing", 0), ev("in-progress", 15)]
    assert analyze_answer(events, ring_seconds=6.0).rings == 3
    assert analyze_answer(events, ring_seconds=4.0).rings == 4
    with pytest.raises(AnswerError, match="ring_seconds must be positive"):
        analyze_answer(events, ring_seconds=0)


def test_mapping_events_with_iso_times() -> None:
    result = analyze_answer(
        [
            {"status": "ringing", "at": "2026-06-02T14:20:00+08:00"},
            {"status": "in-progress", "at": "2026-06-02T06:20:07Z"},
        ]
    )
    assert result.answer_seconds == 7.0


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([{"status": "ringing-ish", "at": "2026-06-02T06:20:00Z"}], "unknown call status"),
        ([{"status": "ringing", "at": "2026-06-02T06:20:00"}], "has no zone"),
        ([{"status": "ringing", "at": "yesterday"}], "not ISO 8601"),
        ([{"status": "ringing"}], "needs 'status' and 'at'"),
        ([ev("busy", 5), ev("no-answer", 30)], "conflicting final statuses"),
    ],
)
def test_bad_events_are_named(events: list[object], message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        analyze_answer(events)  # type: ignore[arg-type]
