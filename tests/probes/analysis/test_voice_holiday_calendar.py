"""Festival days from the China calendar, breaks, and overrides as data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from probes.analysis.holiday_calendar import CalendarError, festivals_on, load_overrides


@pytest.mark.parametrize(
    ("day", "festivals"),
    [
        (date(2026, 1, 1), {"new_year"}),
        (date(2026, 2, 16), {"spring_festival"}),  # eve, part of the break
        (date(2026, 2, 15), {"spring_festival"}),  # Sunday opening the break
        (date(2026, 2, 14), set()),  # make-up working Saturday
        (date(2026, 4, 5), set()),  # Tomb-Sweeping Day: a holiday, but no greeting rule
        (date(2026, 5, 3), {"labour_day"}),  # Sunday inside the Labour Day break
        (date(2026, 6, 2), set()),
        (date(2025, 10, 6), {"mid_autumn"}),  # the named day: only its own greeting
        (date(2025, 10, 7), {"mid_autumn", "national_day"}),  # joint break in 2025
        (date(2026, 6, 6), set()),  # an ordinary weekend
    ],
)
def test_festivals_on(day: date, festivals: set[str]) -> None:
    assert festivals_on(day) == festivals


def test_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text("2026-10-08: national_day\n2026-10-01: null\n", encoding="utf-8")
    overrides = load_overrides(path)
    assert overrides == {date(2026, 10, 8): "national_day", date(2026, 10, 1): None}
    assert festivals_on(date(2026, 10, 8), overrides) == {"national_day"}
    assert festivals_on(date(2026, 10, 1), overrides) == set()


def test_overrides_json(tmp_path: Path) -> None:
    path = tmp_path / "holidays.json"
    path.write_text('{"2027-02-06": "spring_festival"}', encoding="utf-8")
    assert load_overrides(path) == {date(2027, 2, 6): "spring_festival"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"2026-13-01": "new_year"}, "'2026-13-01' is not a date"),
        ({"2026-10-08": "golden_week"}, "2026-10-08: unknown festival 'golden_week'"),
        (["2026-10-08"], "expected a mapping"),
    ],
)
def test_bad_overrides_name_the_entry(data: object, message: str, tmp_path: Path) -> None:
    import json

    path = tmp_path / "o.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CalendarError, match=message):
        load_overrides(path)


def test_unreadable_overrides(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="cannot read"):
        load_overrides(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [unclosed", encoding="utf-8")
    with pytest.raises(CalendarError, match="not valid"):
        load_overrides(bad)
