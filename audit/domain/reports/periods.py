"""Report periods: a quarter (``2026Q3``, the default kind, as MIIT's quarterly notice) or a
month (``2026-07``), as calendar dates in the regulator's zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from audit.errors import DomainError

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date  # first day
    end: dt.date  # first day after

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def previous(self) -> Period:
        return parse(_previous_label(self.label))

    def zh(self) -> str:
        if "Q" in self.label:
            year, q = self.label.split("Q")
            return f"{year}年第{'一二三四'[int(q) - 1]}季度"
        year, month = self.label.split("-")
        return f"{year}年{int(month)}月"


def _previous_label(label: str) -> str:
    if m := _QUARTER.match(label):
        year, q = int(m[1]), int(m[2])
        return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"
    year, month = (int(x) for x in label.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def parse(label: str, field: str = "period") -> Period:
    label = label.strip().upper()
    if m := _QUARTER.match(label):
        year, q = int(m[1]), int(m[2])
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
        return Period(label, start, end)
    if m := _MONTH.match(label):
        year, month = int(m[1]), int(m[2])
        start = dt.date(year, month, 1)
        end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        return Period(label, start, end)
    raise DomainError(f"{field} must be a quarter like 2026Q3 or a month like 2026-07", field)


def last_complete_quarter(today: dt.date) -> Period:
    """The default: the quarter that ended most recently (a report covers a closed period)."""
    q = (today.month - 1) // 3 + 1
    return parse(f"{today.year - 1}Q4" if q == 1 else f"{today.year}Q{q - 1}")
