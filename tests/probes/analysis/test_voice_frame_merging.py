"""Frame flags to utterances: min_silence bridging, short runs, short utterances."""

from __future__ import annotations

import numpy as np

from probes.analysis.vad import Utterance, merge_frames


def _flags(pattern: str) -> np.ndarray:
    return np.array([c == "#" for c in pattern])


def test_gap_shorter_than_min_silence_is_bridged() -> None:
    # 0.1 s frames: a 0.9 s gap merges under min_silence 1.0, a 1.0 s gap splits.
    assert merge_frames(_flags("##" + "." * 9 + "##"), 0.1, min_silence_s=1.0) == [
        Utterance(0.0, 1.3)
    ]
    assert merge_frames(_flags("##" + "." * 10 + "##"), 0.1, min_silence_s=1.0) == [
        Utterance(0.0, 0.2),
        Utterance(1.2, 1.4),
    ]


def test_runs_shorter_than_min_run_are_dropped_before_merging() -> None:
    flags = _flags("#####...#......####")
    found = merge_frames(flags, 0.1, min_silence_s=0.5, min_run_frames=3)
    assert found == [Utterance(0.0, 0.5), Utterance(1.5, 1.9)]


def test_utterances_with_little_speech_are_dropped() -> None:
    flags = _flags("##........#####")
    found = merge_frames(flags, 0.1, min_silence_s=0.5, min_utterance_s=0.3)
    assert found == [Utterance(1.0, 1.5)]


def test_no_speech() -> None:
    assert merge_frames(_flags("....."), 0.03, min_silence_s=1.0) == []
