"""Fixtures of the complaints integration tests."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def examples_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """The worked examples include dates still to come (the 2028 leap year): judge them as of
    2030, so the "not more than a day in the future" bound of received dates holds for them."""
    from audit import validation

    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    monkeypatch.setattr(validation, "CLOCK", lambda: now)
    return now
