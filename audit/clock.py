"""The clock that deadline logic reads: the system clock, or one a test (or a demo) moves.

Everything that decides by the time — dispute windows, rectification deadlines, reminders,
overdue escalation, verification windows, delivery retries — asks :func:`now` instead of
``datetime.now``, so a test can set the time, move it forward, and run the same code.
The clock is process-wide (not a context variable) on purpose: the served app, its jobs and
the test thread must all see the same moved time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo


class Clock:
    """The real time (UTC, aware)."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class MovableClock(Clock):
    """Starts at ``at`` and then runs with the real time; :meth:`advance` jumps ahead."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("MovableClock needs an aware datetime")
        self._lock = threading.Lock()
        self._offset = at - dt.datetime.now(dt.UTC)

    def now(self) -> dt.datetime:
        with self._lock:
            return dt.datetime.now(dt.UTC) + self._offset

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        with self._lock:
            self._offset += delta
        return self.now()


_clock: Clock = Clock()


def now() -> dt.datetime:
    return _clock.now()


def today(zone: ZoneInfo | str) -> dt.date:
    """The calendar date in ``zone`` (the regulator's zone decides deadlines)."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return now().astimezone(tz).date()


def current() -> Clock:
    return _clock


def set_clock(clock: Clock | None) -> None:
    """Install ``clock`` (None: back to the real time)."""
    global _clock
    _clock = clock or Clock()


@contextmanager
def moved_clock(at: dt.datetime) -> Iterator[MovableClock]:
    """``with moved_clock(t) as clock: … clock.advance(timedelta(days=3))``."""
    clock = MovableClock(at)
    previous = _clock
    set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)
