"""The test-audio generator itself: truth positions and relative levels are what they claim."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from probes.audio import synth


def test_build_call_truth_marks_the_clips() -> None:
    a = np.full(800, 1000, dtype=np.int16)
    b = np.full(400, -1000, dtype=np.int16)
    samples, truth = synth.build_call([a, b], [2.0], lead_in_s=0.5, final_wait_s=1.0)
    assert truth == [(0.5, 0.6), (2.6, 2.65)]
    assert len(samples) == round(3.65 * 8000)
    assert np.all(samples[4000:4800] == 1000) and np.all(samples[20800:21200] == -1000)
    assert not samples[:4000].any() and not samples[21200:].any()


def test_build_call_checks_pause_count() -> None:
    with pytest.raises(ValueError, match="2 clips need 1 pauses"):
        synth.build_call([synth.silence(0.1)] * 2, [])


def test_render_is_trimmed_speech_at_the_agent_level() -> None:
    clip = synth.render(synth.GREETING_SECOND)
    assert 1.5 < len(clip) / 8000 < 6.0
    assert synth.active_level_dbfs(clip, 8000) == pytest.approx(synth.AGENT_LEVEL_DBFS, abs=0.5)
    # Trimmed: speech energy right at both ends.
    assert np.abs(clip[:80]).max() > 30 and np.abs(clip[-80:]).max() > 30


@pytest.mark.parametrize("relative_db", [-15.0, -25.0])
def test_mix_under_sets_the_relative_level(relative_db: float) -> None:
    main = synth.render(synth.GREETING_FIRST)
    other = synth.chatter(len(main) / 8000, seed=3)
    mixed = synth.mix_under(main, other, relative_db)
    added = mixed.astype(np.float64) - main
    level = synth.active_level_dbfs(np.round(added).astype(np.int16), 8000)
    assert level == pytest.approx(synth.active_level_dbfs(main, 8000) + relative_db, abs=0.5)


def test_wav_round_trip_pads_channels(tmp_path: Path) -> None:
    from probes.analysis.audio import read_wav

    path = synth.write_wav(tmp_path / "x.wav", [np.ones(10, np.int16), np.ones(4, np.int16)])
    audio = read_wav(path)
    assert audio.n_samples == 10 and audio.channels[1].tolist() == [1] * 4 + [0] * 6
