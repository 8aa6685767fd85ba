"""Which festival greeting a date calls for (seed 001 §6.3.3).

New Year's Day and Spring Festival: "新年好"; Labour Day: "劳动节快乐"; Mid-Autumn: "中秋节快乐";
National Day: "国庆节快乐" (the wording is the checklist's). The days come from the maintained ``holidays`` China calendar; the
seed says the exact days follow each year's holiday notice, so overrides are data
(:func:`load_overrides`), not code.

A date belongs to a festival when the calendar names it so, or when it is a non-working day
(weekend or substituted day off, not a make-up working day) in the same unbroken break as a
named festival day — 2026-10-04, a Sunday between National Day holidays, is National Day
break. On a named day only that festival's greeting fits; on a linking day of a break that
holds two festivals (2025: National Day and Mid-Autumn), either fits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays

from checklists.yamlsrc import MAX_BYTES, YamlSyntaxError, safe_load

# The festivals of seed 001 §6.3.3; each one's greeting is checklist data (the hotline item
# greeting.holiday has a phrase element ``festival.<key>`` per festival).
FESTIVALS = ("new_year", "spring_festival", "labour_day", "mid_autumn", "national_day")

# Names in the holidays package's China calendar (language en_US) -> festival key.
_CALENDAR_NAMES = {
    "New Year's Day": "new_year",
    "Chinese New Year's Eve": "spring_festival",
    "Chinese New Year (Spring Festival)": "spring_festival",
    "Labor Day": "labour_day",
    "Mid-Autumn Festival": "mid_autumn",
    "National Day": "national_day",
}
_MAX_BREAK_DAYS = 12  # the longest Chinese holiday break is 9 days


class CalendarError(ValueError):
    """Bad holiday override data; the message names the entry."""


Overrides = Mapping[date, str | None]


def festivals_on(day: date, overrides: Overrides | None = None) -> frozenset[str]:
    """Festival keys whose greeting fits ``day`` (empty: not a festival day)."""
    own = _named(day, overrides)
    if own is not None:
        return frozenset({own} if own else ())
    if _is_working(day, overrides):
        return frozenset()
    found: set[str] = set()
    for step in (-1, 1):
        cursor = day
        for _ in range(_MAX_BREAK_DAYS):
            cursor += timedelta(days=step)
            if _is_working(cursor, overrides):
                break
            named = _named(cursor, overrides)
            if named:
                found.add(named)
    return frozenset(found)


def _named(day: date, overrides: Overrides | None) -> str | None:
    """Festival key named for the day; "" when the day is explicitly no festival."""
    if overrides is not None and day in overrides:
        return overrides[day] or ""
    for name in _calendar(day.year).get_list(day):
        key = _CALENDAR_NAMES.get(name.removesuffix(" (observed)"))
        if key:
            return key
    return None


def _is_working(day: date, overrides: Overrides | None) -> bool:
    # An override to a festival makes the day off; an override to None only removes the
    # greeting requirement and leaves the working-day status to the calendar.
    if overrides is not None and overrides.get(day):
        return False
    return bool(_calendar(day.year).is_working_day(day))


@lru_cache(maxsize=32)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.China(years=(year - 1, year, year + 1), language="en_US")


def load_overrides(source: str | Path | Mapping[Any, Any]) -> dict[date, str | None]:
    """Overrides from a YAML/JSON file or mapping: ``{"2026-10-08": national_day, ...}``.

    A value is a festival key (``new_year``, ``spring_festival``, ``labour_day``,
    ``mid_autumn``, ``national_day``) or null for "no festival greeting on this day".
    """
    if isinstance(source, Mapping):
        raw: Any = source
        where = "overrides"
    else:
        path = Path(source)
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CalendarError(f"{where}: cannot read: {exc.strerror or exc}") from exc
        if len(text) > MAX_BYTES:
            raise CalendarError(f"{where}: larger than {MAX_BYTES} bytes")
        try:
            raw = json.loads(text) if path.suffix == ".json" else safe_load(text, where)
        except YamlSyntaxError as exc:
            raise CalendarError(f"not valid YAML: {exc}") from exc
        except (ValueError, RecursionError) as exc:
            raise CalendarError(f"{where}: not valid {path.suffix or 'YAML'}: {exc}") from exc
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise CalendarError(f"{where}: expected a mapping of date -> festival")
    out: dict[date, str | None] = {}
    for key, value in raw.items():
        try:
            day = key if isinstance(key, date) else date.fromisoformat(str(key))
        except ValueError as exc:
            raise CalendarError(f"{where}: {key!r} is not a date (YYYY-MM-DD)") from exc
        if value is not None and value not in FESTIVALS:
            raise CalendarError(
                f"{where}: {day.isoformat()}: unknown festival {value!r}; expected one of "
                f"{', '.join(FESTIVALS)} or null"
            )
        out[day] = value
    return out
