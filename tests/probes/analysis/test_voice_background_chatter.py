"""Neighbouring agents' chatter ~15 dB or more below the agent is not the agent (issue 4)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from voice_truth import assert_matches_truth

from probes.analysis.silent_call import analyze_samples
from probes.analysis.vad import merge_frames, webrtc_flags
from probes.audio import synth

Greetings = Callable[[int], list[np.ndarray]]


def _call_with_chatter(
    greetings: Greetings, rate: int, relative_db: float, seed: int
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    samples, truth = synth.build_call(greetings(rate), (5.0, 6.5), final_wait_s=5.0, rate=rate)
    bed = synth.chatter(len(samples) / rate, rate, seed=seed)
    return synth.mix_under(samples, bed, relative_db, rate), truth


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plain_vad_merges_the_greetings_under_chatter(greetings: Greetings, seed: int) -> None:
    # The reason this case exists: frame VAD plus merging hears one long utterance.
    mixed, _ = _call_with_chatter(greetings, 8000, -15.0, seed)
    plain = merge_frames(webrtc_flags(mixed, 8000), 0.03, min_silence_s=1.0)
    assert len(plain) < 3


@pytest.mark.parametrize("rate", [8000, 16000])
@pytest.mark.parametrize("relative_db", [-15.0, -20.0, -30.0])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_agent_counted_alone_under_chatter(
    greetings: Greetings, rate: int, relative_db: float, seed: int
) -> None:
    mixed, truth = _call_with_chatter(greetings, rate, relative_db, seed)
    result = analyze_samples(mixed, rate)
    assert_matches_truth(result.utterances, truth)
    assert result.verdict == "pass", result.reasons


def test_one_greeting_then_hang_up_under_chatter(greetings: Greetings) -> None:
    samples, truth = synth.build_call(greetings(8000)[:1], [], final_wait_s=2.0, rate=8000)
    bed = synth.chatter(len(samples) / 8000, 8000, seed=4)
    result = analyze_samples(synth.mix_under(samples, bed, -15.0), 8000)
    assert_matches_truth(result.utterances, truth)
    assert result.reasons == ("too_few_repetitions", "hung_up_too_soon")


def test_long_chatter_after_the_agent_does_not_lower_the_gate(greetings: Greetings) -> None:
    # Five minutes of recording, 20 s of it the agent: the agent's level must still come
    # from the agent, not from the chatter that fills the rest.
    samples, truth = synth.build_call(greetings(8000), (5.0, 5.0), final_wait_s=260.0)
    bed = synth.chatter(len(samples) / 8000, 8000, seed=5)
    result = analyze_samples(synth.mix_under(samples, bed, -15.0), 8000)
    assert_matches_truth(result.utterances, truth)
    assert result.verdict == "pass"
