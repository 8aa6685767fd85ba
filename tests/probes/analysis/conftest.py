"""Shared generated audio for the voice-analyser tests (rendered once per session, cached)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from probes.audio import synth

Samples = npt.NDArray[np.int16]


@pytest.fixture(scope="session")
def greetings() -> Callable[[int], list[Samples]]:
    """The three silent-call greetings of seed 001 §6.3.4 rendered at a rate."""
    cache: dict[int, list[Samples]] = {}

    def at(rate: int) -> list[Samples]:
        if rate not in cache:
            cache[rate] = [synth.render(t, rate=rate) for t in synth.SILENT_CALL_GREETINGS]
        return cache[rate]

    return at
