"""Comparing analyser output with the known truth of generated audio."""

from __future__ import annotations

import itertools

from probes.analysis.vad import Utterance

Truth = list[tuple[float, float]]
TOLERANCE_S = 0.25  # issue 4: pauses within ±0.25 s of the truth


def pauses_of(truth: Truth) -> list[float]:
    return [b[0] - a[1] for a, b in itertools.pairwise(truth)]


def assert_matches_truth(found: list[Utterance] | tuple[Utterance, ...], truth: Truth) -> None:
    """Same number of utterances; every pause within ±0.25 s of the truth (issue 4)."""
    assert len(found) == len(truth), [(u.start_s, u.end_s) for u in found]
    measured = [b.start_s - a.end_s for a, b in itertools.pairwise(found)]
    for got, want in zip(measured, pauses_of(truth), strict=True):
        assert abs(got - want) <= TOLERANCE_S, (measured, pauses_of(truth))
