"""A recording the probe ended before the protocol could finish is inconclusive, never a
hang-up by the agent (issue 18 item 4: a 30 s listen failed every compliant call)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from probes.analysis.silent_call import SilentCallParams, analyze_samples, judge
from probes.analysis.vad import Utterance
from probes.audio import synth

Greetings = Callable[[int], list[np.ndarray]]


def _utts(*spans: tuple[float, float]) -> list[Utterance]:
    return [Utterance(a, b) for a, b in spans]


def test_compliant_agent_cut_off_by_a_30_s_listen(greetings: Greetings) -> None:
    # Three greetings with 8 s pauses: the third starts at about 26 s, the listen ends at 30.
    clips = [greetings(8000)[i] for i in range(3)]
    samples, _ = synth.build_call(clips, (8.0, 8.0), final_wait_s=0.0, rate=8000)
    duration = len(samples) / 8000
    cut = samples[: int(min(duration, 30.0) * 8000)]
    judged_as_hang_up = analyze_samples(cut, 8000)
    assert judged_as_hang_up.verdict == "fail"  # the old reading: the agent hung up
    ours = analyze_samples(cut, 8000, listen_s=30.0)
    assert (ours.verdict, ours.reasons) == ("inconclusive", ("listening_too_short",))
    measures = ours.measures()["silent_call"]
    assert measures["verdict"] is None and measures["inconclusive"] is True


@pytest.mark.parametrize(
    ("spans", "duration", "expected"),
    [
        # two greetings, silence of 3 s when we stopped: the third could still come
        (((1.0, 4.0), (9.0, 12.0)), 15.0, "inconclusive"),
        # all three said, we stopped 2 s into the final wait
        (((1.0, 4.0), (9.0, 12.0), (17.0, 20.0)), 22.0, "inconclusive"),
        # silent for 12 s after the second greeting: longer than any allowed pause
        (((1.0, 4.0), (9.0, 12.0)), 24.5, "fail"),
        # a pause too short was already heard: a failure whatever came later
        (((1.0, 4.0), (5.0, 8.0)), 12.0, "fail"),
    ],
)
def test_cut_short_recordings(spans, duration, expected) -> None:
    assert judge(_utts(*spans), duration, listen_s=duration).verdict == expected


def test_a_recording_shorter_than_the_listen_time_was_ended_by_the_agent() -> None:
    # 15 s of a 40 s listen: the agent hung up, so the short protocol is a failure.
    result = judge(_utts((1.0, 4.0), (9.0, 12.0)), 15.0, listen_s=40.0)
    assert result.verdict == "fail" and "too_few_repetitions" in result.reasons


def test_required_listening_time_from_the_protocol() -> None:
    p = SilentCallParams()  # seed 001: 3 greetings, pauses up to 10 s, 4 s final wait
    assert p.required_listen_s() == 3 * 5.0 + 2 * 10.0 + 4.0
    house = SilentCallParams.from_params(
        {"repetitions": 3, "pause_max_s": 10, "final_wait_min_s": 0}
    )
    assert house.required_listen_s() == 35.0
    assert "3 × 5 s greeting" in p.explain_listen()
