"""Reproducible random sampling of venues (seed 004 Art. 5: 随机进行的抽样检验).

The sample is a pure function of (candidates, size, seed): candidates are ranked by
SHA-256("seed:venue_id") and the first ``size`` are taken. Unlike ``random.Random`` this does
not depend on the Python version or on the order in which candidates are listed, so a stored
seed re-draws the same sample years later.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable


def new_seed() -> str:
    return secrets.token_hex(8)


def _rank(seed: str, venue_id: int) -> str:
    return hashlib.sha256(f"{seed}:{venue_id}".encode()).hexdigest()


def draw_sample(candidates: Iterable[int], size: int, seed: str) -> list[int]:
    """``size`` distinct venue ids from ``candidates``, in draw order."""
    pool = sorted(set(candidates))
    if size < 1:
        raise ValueError("sample size must be at least 1")
    if size > len(pool):
        raise ValueError(f"sample size {size} is larger than the {len(pool)} candidate venues")
    if not seed:
        raise ValueError("a seed is required")
    return sorted(pool, key=lambda venue_id: (_rank(seed, venue_id), venue_id))[:size]
