"""Campaign statistics the regulator publishes: answer rate with its Wilson 95% interval,
service level, time to answer, abandonment, silent-call and greeting compliance, and the
sample size an auditor needs for a chosen margin of error.

Definitions (seed 002 §2 KPIs: call-loss rate 呼损率, service level; seed 002 §3.4 three
rings = 15 s at the 5 s ring cadence):
- *Attempts* are runs with a telephony result: ``answered``, ``busy`` or ``no_answer``.
  ``failed``/``canceled`` runs are our side's or the carrier's failures, not the operator's,
  and are counted apart (``probe_failures``), never in a rate.
- *Answer rate* = answered / attempts, with the Wilson score interval.
- *Service level* = answered within the threshold (``answer_seconds <= threshold``) / attempts.
- *Time to answer*: mean and p90 over answered calls; p90 is the nearest-rank percentile
  (the ⌈0.9·n⌉-th smallest value), so it is always an observed value.
- *Abandonment* = attempts that rang but were never answered / attempts.
- *Silent-call* and *greeting compliance* = ``pass`` verdicts / answered runs with a verdict.
  An ``inconclusive`` silent call (the probe stopped listening inside the protocol) has no
  verdict: it is left out of the rate and counted on its own (``silent_call_inconclusive``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist
from typing import Literal
from zoneinfo import ZoneInfo

Outcome = Literal["answered", "busy", "no_answer", "failed", "canceled"]
ATTEMPT_OUTCOMES = frozenset({"answered", "busy", "no_answer"})
OUTCOMES = frozenset({*ATTEMPT_OUTCOMES, "failed", "canceled"})


# Bounds of the sample-size inputs: a margin below 0.1 point needs millions of calls (and
# 1e-300 squared is 0); a confidence closer to 1 than 0.9999 has no finite normal quantile
# in floating point.
MIN_MARGIN, MAX_MARGIN = 0.001, 0.5
MIN_CONFIDENCE, MAX_CONFIDENCE = 0.5, 0.9999


def z_for(confidence: float) -> float:
    """Two-sided normal quantile: 0.95 → 1.959964…"""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: {confidence} must be between 0 and 1")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there is no observation."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"successes: {successes} out of n={n} is not a proportion")
    if n == 0:
        return (0.0, 1.0)
    z = z_for(confidence)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At 0 and n the bounds are exactly 0 and 1; floating point would leave 1e-17 residues.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)


def required_sample_size(
    margin: float,
    *,
    confidence: float = 0.95,
    expected_rate: float = 0.5,
    population: int | None = None,
) -> int:
    """Runs needed so the answer rate's normal-approximation margin is at most ``margin``.

    n₀ = z²·p(1−p)/E²; with a finite population N, n = n₀ / (1 + (n₀ − 1)/N). Rounded up.
    ``expected_rate`` 0.5 is the conservative choice when nothing is known yet.
    """
    if not MIN_MARGIN <= margin <= MAX_MARGIN:
        raise ValueError(
            f"margin: {margin} must be between {MIN_MARGIN} and {MAX_MARGIN} (0.05 = ±5 points)"
        )
    if not MIN_CONFIDENCE <= confidence <= MAX_CONFIDENCE:
        raise ValueError(
            f"confidence: {confidence} must be between {MIN_CONFIDENCE} and {MAX_CONFIDENCE}"
        )
    if not 0 <= expected_rate <= 1:
        raise ValueError(f"expected_rate: {expected_rate} must be between 0 and 1")
    if population is not None and population < 1:
        raise ValueError(f"population: {population} must be at least 1")
    z = z_for(confidence)
    n0 = z * z * expected_rate * (1 - expected_rate) / (margin * margin)
    if n0 == 0:
        return 1
    if population is not None:
        n0 = n0 / (1 + (n0 - 1) / population)
    # Guard against 384.00000000001 from floating point becoming 385.
    return max(1, math.ceil(round(n0, 9)))


def percentile_nearest_rank(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(round(q * len(ordered), 9)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class RunResult:
    """One finished probe run as the statistics see it."""

    target: str
    campaign: str
    started_at: datetime  # aware
    outcome: Outcome
    answer_seconds: float | None = None
    rang: bool | None = None  # None: inferred (no_answer ⇒ rang, busy ⇒ did not)
    silent_call_verdict: Literal["pass", "fail", "inconclusive"] | None = None
    greeting_verdict: Literal["pass", "fail"] | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome: {self.outcome!r} is not one of {sorted(OUTCOMES)}")
        if self.outcome == "answered" and self.answer_seconds is None:
            raise ValueError(f"answer_seconds: missing for answered run of {self.target!r}")
        if self.answer_seconds is not None and self.answer_seconds < 0:
            raise ValueError(f"answer_seconds: {self.answer_seconds} is negative")
        if self.started_at.tzinfo is None:
            raise ValueError("started_at: must be timezone-aware")

    @property
    def rang_unanswered(self) -> bool:
        if self.outcome != "no_answer":
            return False
        return True if self.rang is None else self.rang


@dataclass(frozen=True)
class Rate:
    count: int
    n: int
    rate: float | None
    ci_low: float
    ci_high: float

    @classmethod
    def of(cls, count: int, n: int, confidence: float = 0.95) -> Rate:
        low, high = wilson_interval(count, n, confidence)
        return cls(count, n, count / n if n else None, low, high)


@dataclass(frozen=True)
class Summary:
    runs: int
    attempts: int
    probe_failures: int
    answered: int
    busy: int
    no_answer: int
    answer_rate: Rate
    service_level: Rate
    service_level_threshold_s: float
    mean_answer_s: float | None
    p90_answer_s: float | None
    abandonment: Rate
    silent_call_compliance: Rate
    greeting_compliance: Rate
    silent_call_inconclusive: int = 0


def summarize(
    results: Iterable[RunResult],
    *,
    service_level_threshold_s: float = 15.0,
    confidence: float = 0.95,
) -> Summary:
    rows = list(results)
    attempts = [r for r in rows if r.outcome in ATTEMPT_OUTCOMES]
    answered = [r for r in attempts if r.outcome == "answered"]
    times = [float(r.answer_seconds) for r in answered if r.answer_seconds is not None]
    in_time = sum(1 for t in times if t <= service_level_threshold_s)
    silent = [r.silent_call_verdict for r in answered if r.silent_call_verdict in ("pass", "fail")]
    inconclusive = sum(1 for r in answered if r.silent_call_verdict == "inconclusive")
    greet = [r.greeting_verdict for r in answered if r.greeting_verdict is not None]
    n = len(attempts)
    return Summary(
        runs=len(rows),
        attempts=n,
        probe_failures=len(rows) - n,
        answered=len(answered),
        busy=sum(1 for r in attempts if r.outcome == "busy"),
        no_answer=sum(1 for r in attempts if r.outcome == "no_answer"),
        answer_rate=Rate.of(len(answered), n, confidence),
        service_level=Rate.of(in_time, n, confidence),
        service_level_threshold_s=service_level_threshold_s,
        mean_answer_s=sum(times) / len(times) if times else None,
        p90_answer_s=percentile_nearest_rank(times, 0.9),
        abandonment=Rate.of(sum(1 for r in attempts if r.rang_unanswered), n, confidence),
        silent_call_compliance=Rate.of(silent.count("pass"), len(silent), confidence),
        greeting_compliance=Rate.of(greet.count("pass"), len(greet), confidence),
        silent_call_inconclusive=inconclusive,
    )


@dataclass(frozen=True)
class TimeBands:
    """Local-time bands by start hour, e.g. ``(8, 12, 14, 18, 20)`` → 08–12, 12–14, 14–18, 18–20.

    Hours outside the bands fall in ``"other"``.
    """

    edges: tuple[int, ...] = (0, 8, 10, 12, 14, 16, 18, 20, 24)
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        if len(self.edges) < 2 or list(self.edges) != sorted(set(self.edges)):
            raise ValueError(f"edges: {self.edges} must be at least two increasing hours")
        if self.edges[0] < 0 or self.edges[-1] > 24:
            raise ValueError(f"edges: {self.edges} must lie within 0..24")

    def label(self, at: datetime) -> str:
        local = at.astimezone(ZoneInfo(self.timezone))
        hour = local.hour + local.minute / 60 + local.second / 3600
        for lo, hi in zip(self.edges, self.edges[1:], strict=False):
            if lo <= hour < hi:
                return f"{lo:02d}-{hi:02d}"
        return "other"


def group_summaries(
    results: Iterable[RunResult],
    key: Callable[[RunResult], str],
    **kwargs: float,
) -> dict[str, Summary]:
    groups: dict[str, list[RunResult]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    return {k: summarize(v, **kwargs) for k, v in sorted(groups.items())}


def by_target(results: Iterable[RunResult], **kwargs: float) -> dict[str, Summary]:
    return group_summaries(results, lambda r: r.target, **kwargs)


def by_campaign(results: Iterable[RunResult], **kwargs: float) -> dict[str, Summary]:
    return group_summaries(results, lambda r: r.campaign, **kwargs)


def by_time_band(
    results: Iterable[RunResult], bands: TimeBands | None = None, **kwargs: float
) -> dict[str, Summary]:
    b = bands or TimeBands()
    return group_summaries(results, lambda r: b.label(r.started_at), **kwargs)
