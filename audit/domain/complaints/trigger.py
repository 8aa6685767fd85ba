"""The complaint-threshold trigger: a pure function over one key's complaints.

Rule source: seed 004 (part "范文4") Art. 10 — within one month, in the same prefecture-level
region, 3 or more user complaints caused by the same issue ⇒ order the operator to self-inspect
or spot-check that business (/work/shared/domain.md §1). Exact semantics (issue 7):

* key = (operator, region, issue); dates are calendar dates in the regulator's zone;
* one month is a calendar month, ``relativedelta(months=1)`` (31 March − 1 month = 28/29 Feb);
* complaints are ordered by (received date, external_id);
* a complaint on day ``d`` joins the open trigger of its key when
  ``fired_on ≤ d ≤ fired_on + window``;
* otherwise it enters the key's pool, from which complaints dated before ``d − window`` drop
  out; when the pool holds ≥ threshold complaints a trigger fires on ``d`` taking the pool.

Because the input is sorted first, the result depends only on the data, never on the order in
which complaints arrived.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """Threshold and window of one rule (defaults: seed 004 Art. 10)."""

    threshold: int = 3
    window_months: int = 1

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError(f"threshold must be ≥ 1, got {self.threshold}")
        if self.window_months < 1:
            raise ValueError(f"window_months must be ≥ 1, got {self.window_months}")


DEFAULT_RULE = TriggerRule()


class Point(NamedTuple):
    """One complaint as the engine sees it; ``ref`` is carried through untouched (e.g. a row id)."""

    received_on: date
    external_id: str
    ref: Any = None


@dataclass(frozen=True, slots=True)
class Firing:
    """A trigger computed by the engine."""

    fired_on: date
    members: tuple[Point, ...]
    """The pool at firing time (``len(members)`` = count at firing)."""
    joined: tuple[Point, ...] = ()
    """Complaints that joined within the window after firing (the escalation)."""

    @property
    def complaints(self) -> tuple[Point, ...]:
        return self.members + self.joined

    @property
    def external_ids(self) -> list[str]:
        return [p.external_id for p in self.complaints]

    @property
    def count_at_firing(self) -> int:
        return len(self.members)

    @property
    def escalation(self) -> int:
        return len(self.joined)


class _Shift:
    """Memoised ``date ± n months`` as ordinals: relativedelta is slow, days repeat a lot."""

    __slots__ = ("_back", "_fwd", "_months")

    def __init__(self, months: int) -> None:
        self._months = months
        self._back: dict[int, int] = {}
        self._fwd: dict[int, int] = {}

    def back(self, ordinal: int) -> int:
        got = self._back.get(ordinal)
        if got is None:
            d = date.fromordinal(ordinal) - relativedelta(months=self._months)
            got = self._back[ordinal] = d.toordinal()
        return got

    def forward(self, ordinal: int) -> int:
        got = self._fwd.get(ordinal)
        if got is None:
            d = date.fromordinal(ordinal) + relativedelta(months=self._months)
            got = self._fwd[ordinal] = d.toordinal()
        return got


_SHIFTS: dict[int, _Shift] = {}


def _shift(months: int) -> _Shift:
    s = _SHIFTS.get(months)
    if s is None:
        s = _SHIFTS[months] = _Shift(months)
    return s


def sort_points(points: Iterable[Point]) -> list[Point]:
    """The rule's order: (received date, external_id), external ids compared as strings."""
    return sorted(points, key=lambda p: (p.received_on, p.external_id))


def evaluate_sorted(points: Iterable[Point], rule: TriggerRule = DEFAULT_RULE) -> list[Firing]:
    """Apply the rule to one key's complaints already in (received_on, external_id) order."""
    shift = _shift(rule.window_months)
    threshold = rule.threshold
    firings: list[Firing] = []
    pool: deque[tuple[int, Point]] = deque()
    open_fired: int | None = None  # ordinal of the open trigger's fired_on
    open_until = -1
    members: tuple[Point, ...] = ()
    joined: list[Point] = []
    fired_day: date | None = None
    for p in points:
        d = p.received_on.toordinal()
        if open_fired is not None and open_fired <= d <= open_until:
            joined.append(p)
            continue
        floor = shift.back(d)
        while pool and pool[0][0] < floor:
            pool.popleft()
        pool.append((d, p))
        if len(pool) >= threshold:
            if fired_day is not None:
                firings.append(Firing(fired_day, members, tuple(joined)))
            fired_day = p.received_on
            members = tuple(q for _, q in pool)
            joined = []
            pool.clear()
            open_fired = d
            open_until = shift.forward(d)
    if fired_day is not None:
        firings.append(Firing(fired_day, members, tuple(joined)))
    return firings


def evaluate_key(points: Iterable[Point], rule: TriggerRule = DEFAULT_RULE) -> list[Firing]:
    """Apply the rule to one key's complaints given in any order."""
    return evaluate_sorted(sort_points(points), rule)


@dataclass(frozen=True, slots=True)
class KeyedFiring:
    key: tuple[Hashable, ...]
    firing: Firing


@dataclass
class Grouped:
    """Complaints grouped by key (operator, region, issue)."""

    by_key: dict[tuple[Hashable, ...], list[Point]] = field(default_factory=dict)

    def add(self, key: tuple[Hashable, ...], point: Point) -> None:
        bucket = self.by_key.get(key)
        if bucket is None:
            self.by_key[key] = [point]
        else:
            bucket.append(point)


def evaluate_all(
    items: Iterable[tuple[tuple[Hashable, ...], Point]],
    rule_for: Callable[[tuple[Hashable, ...]], TriggerRule] | None = None,
) -> Iterator[KeyedFiring]:
    """Group ``(key, point)`` pairs and evaluate every key.

    ``rule_for`` maps a key to its :class:`TriggerRule`; default: the seed-004 rule.
    """
    grouped = Grouped()
    for key, point in items:
        grouped.add(key, point)
    for key, points in grouped.by_key.items():
        rule = rule_for(key) if rule_for is not None else DEFAULT_RULE
        for f in evaluate_key(points, rule):
            yield KeyedFiring(key, f)
