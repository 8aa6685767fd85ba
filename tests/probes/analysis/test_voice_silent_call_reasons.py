"""Each verdict reason, on generated audio and at the exact parameter edges."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from probes.analysis.silent_call import SilentCallParams, analyze_samples, judge
from probes.analysis.vad import Utterance
from probes.audio import synth

Greetings = Callable[[int], list[np.ndarray]]


def _run(
    greetings: Greetings,
    count: int,
    pauses: tuple[float, ...],
    final_wait_s: float,
    params: SilentCallParams | None = None,
) -> tuple[str, tuple[str, ...]]:
    clips = [greetings(8000)[min(i, 2)] for i in range(count)]
    samples, _ = synth.build_call(clips, pauses, final_wait_s=final_wait_s, rate=8000)
    result = analyze_samples(samples, 8000, params)
    return result.verdict, result.reasons


def test_one_greeting_then_hang_up(greetings: Greetings) -> None:
    assert _run(greetings, 1, (), 1.0) == ("fail", ("too_few_repetitions", "hung_up_too_soon"))


def test_two_greetings_fail_seed_001_but_pass_seed_002_house_rule(greetings: Greetings) -> None:
    assert _run(greetings, 2, (5.0,), 5.0) == ("fail", ("too_few_repetitions",))
    house_rule = SilentCallParams.from_params({"repetitions": 2})  # seed 002 情景2
    assert _run(greetings, 2, (5.0,), 5.0, house_rule) == ("pass", ())


def test_short_pauses(greetings: Greetings) -> None:
    assert _run(greetings, 3, (2.0, 2.5), 5.0) == ("fail", ("pause_too_short",))


def test_long_pause(greetings: Greetings) -> None:
    assert _run(greetings, 3, (5.0, 12.0), 5.0) == ("fail", ("pause_too_long",))


def test_hung_up_right_after_the_third_greeting(greetings: Greetings) -> None:
    assert _run(greetings, 3, (5.0, 5.0), 1.5) == ("fail", ("hung_up_too_soon",))


def test_several_reasons_are_reported_in_vocabulary_order(greetings: Greetings) -> None:
    assert _run(greetings, 2, (12.0,), 0.5) == (
        "fail",
        ("too_few_repetitions", "pause_too_long", "hung_up_too_soon"),
    )


def _utts(*spans: tuple[float, float]) -> list[Utterance]:
    return [Utterance(a, b) for a, b in spans]


@pytest.mark.parametrize(
    ("second_start", "reasons"),
    [
        (6.0, ()),  # pause exactly 4.0: allowed
        (5.99, ("pause_too_short",)),
        (12.0, ()),  # pause exactly 10.0: allowed
        (12.01, ("pause_too_long",)),
    ],
)
def test_pause_window_edges(second_start: float, reasons: tuple[str, ...]) -> None:
    span = second_start + 1.0
    utts = _utts((1.0, 2.0), (second_start, span), (span + 5.0, span + 6.0))
    result = judge(utts, span + 6.0 + 4.0)
    assert result.reasons == reasons


def test_final_wait_edge() -> None:
    utts = _utts((1.0, 2.0), (7.0, 8.0), (13.0, 14.0))
    assert judge(utts, 18.0).reasons == ()
    assert judge(utts, 17.99).reasons == ("hung_up_too_soon",)
    assert judge(utts, 17.99).final_wait_s == 3.99


def test_json_contract_shape() -> None:
    result = judge(_utts((1.0, 2.5), (7.5, 9.0), (14.0, 15.25)), 20.0)
    assert result.to_json() == {
        "utterances": [
            {"start_s": 1.0, "end_s": 2.5},
            {"start_s": 7.5, "end_s": 9.0},
            {"start_s": 14.0, "end_s": 15.25},
        ],
        "pauses_s": [5.0, 5.0],
        "final_wait_s": 4.75,
        "verdict": "pass",
        "reasons": [],
    }
    assert result.measures() == {
        "silent_call": {
            "verdict": "pass",
            "inconclusive": False,
            "repetitions": 3,
            "final_wait_s": 4.75,
            "reasons": [],
        }
    }
