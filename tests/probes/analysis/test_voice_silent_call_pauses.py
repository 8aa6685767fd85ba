"""Pauses, utterances and final wait measured on generated calls with known truth."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from voice_truth import TOLERANCE_S, assert_matches_truth

from probes.analysis.silent_call import analyze_samples
from probes.audio import synth

Greetings = Callable[[int], list[np.ndarray]]


@pytest.mark.parametrize("rate", [8000, 16000])
@pytest.mark.parametrize("pauses", [(5.0, 5.0), (4.3, 9.6), (7.2, 5.5)])
def test_compliant_call_measures_match_truth(
    greetings: Greetings, rate: int, pauses: tuple[float, float]
) -> None:
    samples, truth = synth.build_call(greetings(rate), pauses, final_wait_s=6.0, rate=rate)
    result = analyze_samples(samples, rate)
    assert_matches_truth(result.utterances, truth)
    assert result.final_wait_s is not None
    assert abs(result.final_wait_s - 6.0) <= TOLERANCE_S
    assert (result.verdict, result.reasons) == ("pass", ())


def test_internal_pauses_of_a_greeting_stay_inside_one_utterance(greetings: Greetings) -> None:
    # The first greeting has commas and a full stop: several ~0.3-0.6 s silences inside.
    first = greetings(8000)[0]
    samples, truth = synth.build_call([first], [], rate=8000)
    result = analyze_samples(samples, 8000)
    assert len(result.utterances) == 1
    assert abs(result.utterances[0].start_s - truth[0][0]) <= TOLERANCE_S
    assert abs(result.utterances[0].end_s - truth[0][1]) <= TOLERANCE_S


def test_gap_longer_than_min_silence_splits_the_utterance(greetings: Greetings) -> None:
    second = greetings(8000)[1]
    samples, _ = synth.build_call([second, second], [1.5], rate=8000)
    assert len(analyze_samples(samples, 8000).utterances) == 2
    # Under a 2 s min_silence the same 1.5 s gap is inside one utterance.
    from probes.analysis.silent_call import SilentCallParams

    merged = analyze_samples(samples, 8000, SilentCallParams(min_silence_s=2.0))
    assert len(merged.utterances) == 1


def test_line_noise_does_not_disturb_the_measures(greetings: Greetings) -> None:
    samples, truth = synth.build_call(greetings(8000), (5.0, 6.0), rate=8000)
    rng = np.random.default_rng(7)
    level = synth.active_level_dbfs(samples, 8000) - 20.0  # 20 dB SNR white noise
    noise = rng.normal(size=len(samples)) * 10 ** (level / 20.0) * 32768.0
    noisy = np.clip(samples + noise, -32768, 32767).astype(np.int16)
    assert_matches_truth(analyze_samples(noisy, 8000).utterances, truth)


def test_silence_only_has_no_utterances() -> None:
    result = analyze_samples(synth.silence(20.0), 8000)
    assert result.utterances == ()
    assert result.final_wait_s is None
    assert result.reasons == ("too_few_repetitions",)


def test_shorter_than_one_frame_is_handled() -> None:
    result = analyze_samples(np.zeros(100, dtype=np.int16), 8000)
    assert result.utterances == () and result.verdict == "fail"
