"""Bad schedule specs are rejected with the offending field in the error location."""

from typing import Any

import pytest
from pydantic import ValidationError

from audit.domain.campaigns.schedule import ScheduleSpec

GOOD: dict[str, Any] = {
    "start_date": "2026-03-02",
    "end_date": "2026-03-06",
    "windows": [{"kind": "weekly", "days": "mon-fri", "start": "08:00", "end": "20:00"}],
    "runs_per_target": 2,
    "caller_ids": ["+8613900000001"],
    "seed": 1,
}


def error_locs(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as err:
        ScheduleSpec.model_validate(data)
    return [e["loc"] for e in err.value.errors()]


def test_good_spec_is_accepted() -> None:
    spec = ScheduleSpec.model_validate(GOOD)
    assert spec.windows[0].days == [0, 1, 2, 3, 4]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "loc_start"),
    [
        ({"timezone": "Mars/Olympus"}, ("timezone",)),
        ({"runs_per_target": 0}, ("runs_per_target",)),
        ({"min_spacing_s": -1}, ("min_spacing_s",)),
        ({"caller_ids": ["13900000001"]}, ("caller_ids",)),
        ({"caller_ids": []}, ("caller_ids",)),
        ({"windows": []}, ("windows",)),
        (
            {"windows": [{"kind": "weekly", "days": "mon-fri", "start": "20:00", "end": "08:00"}]},
            ("windows", 0, "weekly"),
        ),
        (
            {"windows": [{"kind": "weekly", "days": "mon-fry", "start": "08:00", "end": "20:00"}]},
            ("windows", 0, "weekly", "days"),
        ),
        (
            {"windows": [{"kind": "cron", "cron": "61 8 * * *", "duration_minutes": 60}]},
            ("windows", 0, "cron", "cron"),
        ),
        (
            {"windows": [{"kind": "cron", "cron": "0 8 * * *", "duration_minutes": 0}]},
            ("windows", 0, "cron", "duration_minutes"),
        ),
        ({"unknown": 1}, ("unknown",)),
    ],
)
def test_field_is_named(change: dict[str, Any], loc_start: tuple[Any, ...]) -> None:
    locs = error_locs({**GOOD, **change})
    assert any(loc[: len(loc_start)] == loc_start for loc in locs), locs


def test_recurring_window_without_dates_is_refused() -> None:
    data = {k: v for k, v in GOOD.items() if k != "end_date"}
    with pytest.raises(ValidationError, match="start_date and end_date are required"):
        ScheduleSpec.model_validate(data)


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="end_date 2026-03-01 is before start_date"):
        ScheduleSpec.model_validate({**GOOD, "end_date": "2026-03-01"})
