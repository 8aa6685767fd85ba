"""Hold music and tones are not speech."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from voice_truth import assert_matches_truth

from probes.analysis.silent_call import analyze_samples
from probes.analysis.vad import detect_utterances, webrtc_flags
from probes.audio import synth

Greetings = Callable[[int], list[np.ndarray]]


@pytest.mark.parametrize(
    "sound",
    [
        pytest.param(lambda: synth.hold_music(30.0), id="hold-music"),
        pytest.param(lambda: synth.hold_music(30.0, seed=5, level_dbfs=-10.0), id="loud-music"),
        pytest.param(lambda: synth.ringback(30.0), id="ring-back"),
        pytest.param(lambda: synth.tone(10.0, (1000.0,)), id="1kHz"),
        pytest.param(lambda: synth.tone(10.0, (697.0, 1209.0), on_s=0.2, off_s=0.2), id="dtmf-1"),
    ],
)
def test_tonal_sound_alone_has_no_utterances(sound: Callable[[], np.ndarray]) -> None:
    samples = sound()
    # webrtcvad alone takes much of it for speech: the tonal check is what rejects it.
    assert webrtc_flags(samples, 8000).mean() > 0.2
    assert detect_utterances(samples, 8000) == []


def test_hold_music_before_the_agent_is_ignored(greetings: Greetings) -> None:
    samples, truth = synth.build_call(greetings(8000), (5.0, 6.0), lead_in_s=12.0, rate=8000)
    music = synth.hold_music(11.5, level_dbfs=synth.AGENT_LEVEL_DBFS + 6.0)
    samples = samples.copy()
    samples[: len(music)] += music
    result = analyze_samples(samples, 8000)
    assert_matches_truth(result.utterances, truth)
    assert abs(result.utterances[0].start_s - 12.0) <= 0.25


@pytest.mark.parametrize(
    "make_tone",
    [
        pytest.param(lambda n, level: synth.ringback(n, level_dbfs=level), id="ring-back"),
        pytest.param(lambda n, level: synth.tone(n, (1000.0,), level_dbfs=level), id="1kHz"),
    ],
)
def test_tone_under_the_whole_call_is_ignored(
    greetings: Greetings, make_tone: Callable[[float, float], np.ndarray]
) -> None:
    # A tone 6 dB under the agent runs through greetings and pauses alike. (A tone as loud
    # as the agent on top of the speech masks it: a documented limit.)
    samples, truth = synth.build_call(greetings(8000), (5.0, 6.0), rate=8000)
    tone = make_tone(len(samples) / 8000, synth.AGENT_LEVEL_DBFS - 6.0)
    mixed = np.clip(samples.astype(np.int32) + tone, -32768, 32767).astype(np.int16)
    assert_matches_truth(analyze_samples(mixed, 8000).utterances, truth)


def test_beeps_in_the_pauses_do_not_split_or_add_utterances(greetings: Greetings) -> None:
    samples, truth = synth.build_call(greetings(8000), (6.0, 6.0), rate=8000)
    samples = samples.copy()
    beep = synth.tone(0.5, (1000.0,))
    for start_s in (truth[0][1] + 2.5, truth[1][1] + 2.5):  # mid-pause
        i = round(start_s * 8000)
        samples[i : i + len(beep)] += beep
    assert_matches_truth(analyze_samples(samples, 8000).utterances, truth)
