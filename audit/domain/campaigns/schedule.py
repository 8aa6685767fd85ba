"""Plan the probe runs of a campaign: when each target is called and from which caller ID.

Times are random inside the campaign's windows, so a covert campaign is not predictable
by the operator, but seeded, so an auditor can re-derive the plan (same spec and seed ⇒ the
same plan). Sampling is stratified: the open window time is cut into as many equal slices
as there are runs to a number and each run falls at a uniform random point of its slice
(clipped to what keeps the remaining runs feasible), which spreads the sample over the
whole campaign period and over the time bands the statistics report on.

Runs to the same telephone number are at least ``min_spacing_s`` apart even when several
targets share a number. Caller IDs rotate; a covert campaign never uses a number the
regulator publishes as its own (seed 004 范文4 Art. 5: covert checks pose as an ordinary user).
"""

from __future__ import annotations

import bisect
import math
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from audit.domain.campaigns.windows import (
    CronWindow,
    FixedWindow,
    Interval,
    WeeklyWindow,
    Window,
    blackout_intervals,
    fmt_seconds,
    get_zone,
    holiday_dates,
    raw_intervals,
    subtract,
)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MAX_RUNS = 100_000


class PlanningError(ValueError):
    """A schedule that cannot be planned; ``field`` names the spec field to change."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ScheduleSpec(BaseModel):
    """What a campaign says about when and from where its probes call."""

    model_config = ConfigDict(extra="forbid")
    timezone: str = "Asia/Shanghai"
    start_date: date | None = None
    end_date: date | None = None
    windows: list[Window] = Field(min_length=1)
    runs_per_target: int = Field(ge=1, le=10_000)
    min_spacing_s: int = Field(default=0, ge=0)
    blackout_dates: list[date] = Field(default_factory=list)
    holiday_calendar: bool = True
    holiday_country: str = "CN"
    caller_ids: list[str] = Field(min_length=1)
    published_numbers: list[str] = Field(default_factory=list)
    covert: bool = True
    seed: int

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        get_zone(v)
        return v

    @field_validator("caller_ids", "published_numbers")
    @classmethod
    def _e164(cls, v: list[str]) -> list[str]:
        for i, number in enumerate(v):
            if not E164.match(number):
                raise ValueError(f"item {i}: {number!r} is not an E.164 number (+8610…)")
        return v

    @model_validator(mode="after")
    def _range(self) -> ScheduleSpec:
        recurring = any(not isinstance(w, FixedWindow) for w in self.windows)
        if recurring and (self.start_date is None or self.end_date is None):
            raise ValueError("start_date and end_date are required with weekly or cron windows")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


@dataclass(frozen=True)
class PlanTarget:
    """A venue/channel to probe: ``key`` identifies it (e.g. the venue id); ``number`` is the
    E.164 number called, or for a chat (``phone`` False) any name of the channel — runs to
    the same ``number`` keep the minimum spacing either way."""

    key: str
    number: str
    phone: bool = True


@dataclass(frozen=True)
class PlannedRun:
    target: str
    number: str
    scheduled_at: datetime  # UTC
    caller_id: str
    sequence: int  # 0-based index of this run among the target's runs


class _Timeline:
    """Sorted disjoint intervals with a 'compressed' coordinate: open seconds since the first."""

    def __init__(self, intervals: list[Interval]) -> None:
        self.intervals = intervals
        self.starts = [s for s, _ in intervals]
        self.cum = [0]
        for s, e in intervals:
            self.cum.append(self.cum[-1] + (e - s))
        self.total = self.cum[-1]

    def first_at_or_after(self, t: int) -> int | None:
        i = bisect.bisect_right(self.starts, t) - 1
        if i >= 0 and t <= self.intervals[i][1]:
            return t
        return self.starts[i + 1] if i + 1 < len(self.starts) else None

    def last_at_or_before(self, t: int) -> int | None:
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return None
        return min(t, self.intervals[i][1])

    def to_compressed(self, t: int) -> int:
        i = bisect.bisect_right(self.starts, t) - 1
        return self.cum[i] + (t - self.intervals[i][0])

    def from_compressed(self, c: int) -> int:
        i = min(bisect.bisect_right(self.cum, c) - 1, len(self.intervals) - 1)
        # c == cum[i] is the start of interval i; the end of i-1 is the same compressed point.
        return self.intervals[i][0] + (c - self.cum[i])


@dataclass(frozen=True)
class Bounds:
    """The audit plan's window (seed 004 范文4 Art. 6: the plan fixes the time): no run of
    its campaigns may fall outside it."""

    start: datetime  # aware
    end: datetime  # aware

    def interval(self) -> Interval:
        return (math.ceil(self.start.timestamp()), math.floor(self.end.timestamp()))


def check_within(spec: ScheduleSpec, bounds: Bounds) -> None:
    """Refuse a schedule reaching outside the plan's window, naming the field to change.

    The dates are local dates in the schedule's zone: they must lie within the local dates of
    the plan's window, and a fixed window must lie inside it. Weekly and cron windows on the
    first and last day are clipped to the plan's hours when the runs are planned."""
    tz = get_zone(spec.timezone)
    first, last = bounds.start.astimezone(tz).date(), bounds.end.astimezone(tz).date()
    plan_window = f"{first.isoformat()} – {last.isoformat()}"
    if spec.start_date is not None and not first <= spec.start_date <= last:
        raise PlanningError(
            "start_date",
            f"{spec.start_date.isoformat()} is outside the plan's window ({plan_window})",
        )
    if spec.end_date is not None and not first <= spec.end_date <= last:
        raise PlanningError(
            "end_date", f"{spec.end_date.isoformat()} is outside the plan's window ({plan_window})"
        )
    for i, window in enumerate(spec.windows):
        if isinstance(window, FixedWindow) and (
            window.start < bounds.start or window.end > bounds.end
        ):
            raise PlanningError(
                f"windows[{i}]",
                f"{window.start.isoformat()} – {window.end.isoformat()} reaches outside the "
                f"plan's window ({bounds.start.isoformat()} – {bounds.end.isoformat()})",
            )


def open_intervals(spec: ScheduleSpec, bounds: Bounds | None = None) -> list[Interval]:
    """The UTC intervals (epoch seconds) in which calls may be placed, blackouts removed,
    inside ``bounds`` (the plan's window) when given."""
    tz = get_zone(spec.timezone)
    fixed = [w for w in spec.windows if isinstance(w, FixedWindow)]
    first = spec.start_date or min(w.start.astimezone(tz).date() for w in fixed)
    last = spec.end_date or max(w.end.astimezone(tz).date() for w in fixed)
    windows: list[WeeklyWindow | CronWindow | FixedWindow] = list(spec.windows)
    intervals = raw_intervals(windows, tz, first, last)
    dark = set(spec.blackout_dates)
    if spec.holiday_calendar:
        try:
            dark |= holiday_dates(spec.holiday_country, list(range(first.year, last.year + 1)))
        except NotImplementedError as exc:
            raise PlanningError(
                "holiday_country", f"no holiday calendar for {spec.holiday_country!r}"
            ) from exc
    opened = subtract(intervals, blackout_intervals(dark, tz))
    if bounds is None:
        return opened
    lo, hi = bounds.interval()
    return [(max(s, lo), min(e, hi)) for s, e in opened if min(e, hi) > max(s, lo)]


def _sample_times(line: _Timeline, n: int, spacing: int, rng: random.Random) -> list[int]:
    """``n`` times on the timeline, pairwise ≥ ``spacing`` apart, stratified over its length."""
    # Latest feasible position of each run, found backwards from the end (greedy).
    latest: list[int] = [0] * n
    t: int | None = line.intervals[-1][1]
    for i in range(n - 1, -1, -1):
        if t is None:
            break
        latest[i] = t
        t = line.last_at_or_before(t - spacing) if i else t
    earliest: int | None = line.starts[0]
    for i in range(n):
        if earliest is None or earliest > latest[i]:
            raise PlanningError(
                "min_spacing_s",
                f"{n} calls to one number spaced {fmt_seconds(spacing)} apart do not fit in the "
                f"open window time ({fmt_seconds(line.total)} over {len(line.intervals)} "
                f"window(s)); lower min_spacing_s or runs_per_target, or widen the windows",
            )
        earliest = line.first_at_or_after(earliest + spacing)
    times: list[int] = []
    prev: int | None = None
    for i in range(n):
        lo = line.starts[0] if prev is None else line.first_at_or_after(prev + spacing)
        assert lo is not None and lo <= latest[i]  # guaranteed by the feasibility pass
        c_lo, c_hi = line.to_compressed(lo), line.to_compressed(latest[i])
        a, b = (line.total * i) // n, (line.total * (i + 1)) // n
        s_lo, s_hi = max(c_lo, a), min(c_hi, b)
        if s_lo > s_hi:  # the slice is out of reach: fall back to the feasible range
            s_lo, s_hi = c_lo, c_hi
        c = rng.randint(s_lo, s_hi)
        # A compressed point on an interval boundary is both the end of one interval and the
        # start of the next; at the range ends take the one inside [lo, latest].
        prev = lo if c == c_lo else latest[i] if c == c_hi else line.from_compressed(c)
        times.append(prev)
    return times


def _callers(spec: ScheduleSpec) -> list[str]:
    published = set(spec.published_numbers)
    callers = list(dict.fromkeys(spec.caller_ids))
    if spec.covert:
        callers = [c for c in callers if c not in published]
        if not callers:
            raise PlanningError(
                "caller_ids",
                "a covert campaign needs a caller ID not published as the regulator's; "
                "every listed caller ID is in published_numbers",
            )
    return callers


def plan_runs(
    spec: ScheduleSpec, targets: list[PlanTarget], bounds: Bounds | None = None
) -> list[PlannedRun]:
    """Every run of the campaign, sorted by time, inside ``bounds`` (the plan's window) when
    given. Raises :class:`PlanningError`."""
    if not targets:
        raise PlanningError("targets", "a campaign needs at least one target")
    keys = [t.key for t in targets]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise PlanningError("targets", f"target {dup!r} is listed twice")
    for i, target in enumerate(targets):
        if target.phone and not E164.match(target.number):
            raise PlanningError(f"targets[{i}].number", f"{target.number!r} is not E.164")
    if spec.runs_per_target * len(targets) > MAX_RUNS:
        raise PlanningError("runs_per_target", f"more than {MAX_RUNS} runs in one campaign")
    callers = _callers(spec)
    if bounds is not None:
        check_within(spec, bounds)
    line = _Timeline(open_intervals(spec, bounds))
    if not line.intervals:
        where = " inside the plan's window" if bounds is not None else ""
        raise PlanningError(
            "windows",
            f"no open window time between the dates{where} once blackout days are removed",
        )

    by_number: dict[str, list[PlanTarget]] = defaultdict(list)
    for target in targets:
        by_number[target.number].append(target)
    slots: list[tuple[int, PlanTarget, int]] = []
    for number in sorted(by_number):
        group = sorted(by_number[number], key=lambda t: t.key)
        # One random stream per number: adding a target elsewhere leaves this plan unchanged.
        rng = random.Random(f"{spec.seed}:times:{number}")
        times = _sample_times(line, spec.runs_per_target * len(group), spec.min_spacing_s, rng)
        order = [t for t in group for _ in range(spec.runs_per_target)]
        rng.shuffle(order)
        seen: dict[str, int] = defaultdict(int)
        for when, target in zip(times, order, strict=True):
            slots.append((when, target, seen[target.key]))
            seen[target.key] += 1

    slots.sort(key=lambda s: (s[0], s[1].key))
    rng = random.Random(f"{spec.seed}:callers")
    rng.shuffle(callers)
    last_for_number: dict[str, str] = {}
    used: dict[str, int] = dict.fromkeys(callers, 0)
    runs: list[PlannedRun] = []
    for when, target, seq in slots:
        # Least-used caller ID first (ties in the seeded order); the same number never sees
        # the same caller ID twice in a row when there is a choice.
        choice = [c for c in callers if c != last_for_number.get(target.number)] or callers
        caller = min(choice, key=lambda c: used[c])
        used[caller] += 1
        last_for_number[target.number] = caller
        runs.append(
            PlannedRun(
                target=target.key,
                number=target.number,
                scheduled_at=datetime.fromtimestamp(when, tz=UTC),
                caller_id=caller,
                sequence=seq,
            )
        )
    return runs
