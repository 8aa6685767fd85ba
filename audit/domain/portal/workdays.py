"""Working days by the China holiday calendar the project already uses (the maintained
``holidays`` package: statutory holidays, substituted days off and the weekend make-up
working days 调休), for dispute windows and follow-up deadlines."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CN", years=(year - 1, year, year + 1))


def is_working_day(day: dt.date) -> bool:
    return bool(_calendar(day.year).is_working_day(day))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError(f"days: {days} must not be negative")
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
