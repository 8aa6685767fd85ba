"""Schedule windows of a probe campaign and the UTC time intervals they open.

A campaign says *when* probe calls may be placed: weekly windows (Mon–Fri 08:00–20:00 in the
regulator's zone), cron windows (a croniter expression for the window start plus a duration)
and fixed windows (absolute start/end). Blackout dates — the maintained China holiday calendar
plus manual dates — remove whole local days. Everything is reduced to sorted, disjoint UTC
intervals in whole epoch seconds, which the planner samples from.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from croniter import croniter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# An interval in whole UTC epoch seconds, start < end.
Interval = tuple[int, int]


def parse_days(value: str | list[int] | list[str]) -> list[int]:
    """``"mon-fri"``, ``"mon,wed,sat"`` or ``[0, 1, 2]`` (0 = Monday) → sorted weekday numbers."""
    if isinstance(value, str):
        parts = [p.strip().lower() for p in value.split(",") if p.strip()]
        items: list[int] = []
        for part in parts:
            if "-" in part:
                a, b = (s.strip() for s in part.split("-", 1))
                if a not in DAY_NAMES or b not in DAY_NAMES:
                    raise ValueError(f"unknown day in range {part!r}; use mon..sun")
                i, j = DAY_NAMES.index(a), DAY_NAMES.index(b)
                if j < i:
                    raise ValueError(f"day range {part!r} runs backwards")
                items.extend(range(i, j + 1))
            elif part in DAY_NAMES:
                items.append(DAY_NAMES.index(part))
            else:
                raise ValueError(f"unknown day {part!r}; use mon..sun")
        value = items
    days: set[int] = set()
    for item in value:
        if isinstance(item, str):
            if item.lower() not in DAY_NAMES:
                raise ValueError(f"unknown day {item!r}; use mon..sun")
            days.add(DAY_NAMES.index(item.lower()))
        elif isinstance(item, int) and 0 <= item <= 6:
            days.add(item)
        else:
            raise ValueError(f"day {item!r} out of range 0 (Monday) .. 6 (Sunday)")
    if not days:
        raise ValueError("at least one day is required")
    return sorted(days)


class WeeklyWindow(BaseModel):
    """Every listed weekday from ``start`` to ``end`` local time (end after start)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["weekly"] = "weekly"
    days: list[int]
    start: time
    end: time

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, v: str | list[int] | list[str]) -> list[int]:
        return parse_days(v)

    @model_validator(mode="after")
    def _order(self) -> WeeklyWindow:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self


class CronWindow(BaseModel):
    """A window opening at each occurrence of a cron expression (local time) for a duration."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["cron"] = "cron"
    cron: str
    duration_minutes: float = Field(gt=0, le=7 * 24 * 60)

    @field_validator("cron")
    @classmethod
    def _cron(cls, v: str) -> str:
        if not croniter.is_valid(v):
            raise ValueError(f"not a valid cron expression: {v!r}")
        return v


class FixedWindow(BaseModel):
    """One absolute window (timezone-aware datetimes), e.g. a re-probe after rectification."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["fixed"] = "fixed"
    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _order(self) -> FixedWindow:
        if self.end <= self.start:
            raise ValueError(f"end {self.end.isoformat()} must be after start")
        return self


Window = Annotated[WeeklyWindow | CronWindow | FixedWindow, Field(discriminator="kind")]


def get_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _epoch(dt: datetime) -> float:
    return dt.timestamp()


def _local_midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz)


def _days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def holiday_dates(country: str, years: list[int]) -> set[date]:
    """Public holidays (with the substituted days off) from the maintained `holidays` package."""
    return set(holidays.country_holidays(country, years=years).keys())


def raw_intervals(
    windows: list[WeeklyWindow | CronWindow | FixedWindow],
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
) -> list[Interval]:
    """Intervals opened by the windows between local ``first_day`` 00:00 and ``last_day`` 24:00."""
    range_start = _epoch(_local_midnight(first_day, tz))
    range_end = _epoch(_local_midnight(last_day + timedelta(days=1), tz))
    found: list[tuple[float, float]] = []
    for window in windows:
        if isinstance(window, WeeklyWindow):
            for d in _days_between(first_day, last_day):
                if d.weekday() in window.days:
                    s = datetime.combine(d, window.start, tzinfo=tz)
                    e = datetime.combine(d, window.end, tzinfo=tz)
                    found.append((_epoch(s), _epoch(e)))
        elif isinstance(window, CronWindow):
            duration = window.duration_minutes * 60
            # Start one duration early so a window opened before the range still counts.
            begin = _local_midnight(first_day, tz) - timedelta(seconds=duration + 1)
            it = croniter(window.cron, begin)
            while True:
                opens = _epoch(it.get_next(datetime))
                if opens >= range_end:
                    break
                found.append((opens, opens + duration))
        else:
            found.append((_epoch(window.start), _epoch(window.end)))
    clipped: list[Interval] = []
    for a, b in found:
        lo, hi = math.ceil(max(a, range_start)), math.floor(min(b, range_end))
        if lo < hi:
            clipped.append((lo, hi))
    return merge(clipped)


def merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """``intervals`` minus ``holes`` (both sorted and disjoint)."""
    result: list[Interval] = []
    holes = merge(holes)
    for s, e in intervals:
        cur = s
        for hs, he in holes:
            if he <= cur or hs >= e:
                continue
            if hs > cur:
                result.append((cur, hs))
            cur = max(cur, he)
            if cur >= e:
                break
        if cur < e:
            result.append((cur, e))
    return result


def blackout_intervals(days: set[date], tz: ZoneInfo) -> list[Interval]:
    """Whole local days as UTC intervals."""
    out: list[Interval] = []
    for d in sorted(days):
        s = _local_midnight(d, tz)
        e = _local_midnight(d + timedelta(days=1), tz)
        out.append((int(_epoch(s)), int(_epoch(e))))
    return merge(out)


def fmt_seconds(seconds: float) -> str:
    """``93784`` → ``"1d 2h 3m 4s"`` for error messages a person reads."""
    seconds = round(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    if seconds or not parts:
        parts.append(f"{seconds}s")
    return " ".join(parts)
