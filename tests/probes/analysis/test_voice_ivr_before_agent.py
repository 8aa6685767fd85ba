"""An IVR menu before the probe's DTMF reaches a human is not taken for greetings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from probes.analysis.silent_call import analyze_recording, analyze_samples, dtmf_end_s
from probes.audio import synth

Greetings = Callable[[int], list[np.ndarray]]
IVR = "huan1 ying2 zhi4 dian4 chang2 cheng2 kuan1 dai4, ren2 gong1 fu2 wu4 qing3 an4 ling2."
RATE = 8000


def _ivr_call(greetings: Greetings, key_s: float) -> tuple[list[np.ndarray], float]:
    """Callee: IVR prompt cut short by the key press, the agent's greetings 2 s later."""
    prompt = np.concatenate([synth.silence(0.3), synth.render(IVR)])[: round(key_s * RATE)]
    agent, _ = synth.build_call(greetings(RATE), (5.0, 5.0), lead_in_s=0.0, rate=RATE)
    agent_start = key_s + 2.0
    callee = np.concatenate([prompt, synth.silence(agent_start - len(prompt) / RATE), agent])
    caller = synth.silence(len(callee) / RATE)
    key = synth.tone(0.12, (941.0, 1336.0), level_dbfs=-15.0)  # "0"
    caller[round(key_s * RATE) : round(key_s * RATE) + len(key)] = key
    return [caller, callee], agent_start


@pytest.mark.parametrize("key_s", [2.0, 4.0])
def test_analysis_starts_after_the_last_digit(
    tmp_path: Path, greetings: Greetings, key_s: float
) -> None:
    channels, agent_start = _ivr_call(greetings, key_s)
    assert dtmf_end_s(channels[0], RATE) == pytest.approx(key_s + 0.12, abs=0.06)
    # Judged from the start, the IVR prompt counts as an utterance: that is the failure.
    assert len(analyze_samples(channels[1], RATE).utterances) == 4
    path = synth.write_wav(tmp_path / "ivr.wav", channels, RATE)
    result = analyze_recording(path)
    assert len(result.utterances) == 3
    assert abs(result.utterances[0].start_s - agent_start) <= 0.25
    assert result.verdict == "pass"


def test_explicit_start_overrides(tmp_path: Path, greetings: Greetings) -> None:
    channels, _ = _ivr_call(greetings, 2.0)
    path = synth.write_wav(tmp_path / "ivr.wav", channels, RATE)
    assert len(analyze_recording(path, start_s=0.0).utterances) == 4


def test_no_digits_means_no_offset() -> None:
    assert dtmf_end_s(synth.silence(5.0), RATE) is None
