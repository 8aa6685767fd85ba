"""Statistics per time band are computed in the regulator's local time."""

from datetime import UTC, datetime

import pytest

from audit.domain.campaigns.stats import RunResult, TimeBands, by_time_band


def at(hour_utc: int, minute: int, outcome: str, secs: float | None = None) -> RunResult:
    return RunResult(
        target="t",
        campaign="c",
        outcome=outcome,  # type: ignore[arg-type]
        started_at=datetime(2026, 3, 2, hour_utc, minute, tzinfo=UTC),
        answer_seconds=secs,
    )


def test_bands_use_shanghai_time() -> None:
    bands = TimeBands(edges=(8, 12, 14, 20))
    # 01:30 UTC = 09:30 Shanghai; 04:59 UTC = 12:59; 06:00 UTC = 14:00; 13:00 UTC = 21:00
    assert bands.label(datetime(2026, 3, 2, 1, 30, tzinfo=UTC)) == "08-12"
    assert bands.label(datetime(2026, 3, 2, 4, 59, tzinfo=UTC)) == "12-14"
    assert bands.label(datetime(2026, 3, 2, 6, 0, tzinfo=UTC)) == "14-20"
    assert bands.label(datetime(2026, 3, 2, 13, 0, tzinfo=UTC)) == "other"


def test_summary_per_band() -> None:
    rows = [
        at(1, 0, "answered", 5),
        at(2, 0, "no_answer"),
        at(5, 0, "answered", 40),
        at(6, 30, "busy"),
    ]
    per_band = by_time_band(rows, TimeBands(edges=(8, 12, 14, 20)))
    # 09:00 and 10:00 → 08-12: 1 of 2 answered; 13:00 → 12-14: 1 of 1; 14:30 → 14-20: 0 of 1
    assert per_band["08-12"].answer_rate.rate == pytest.approx(0.5)
    assert per_band["12-14"].answered == 1 and per_band["12-14"].service_level.count == 0
    assert per_band["14-20"].busy == 1


def test_bad_edges_are_refused() -> None:
    with pytest.raises(ValueError, match="edges"):
        TimeBands(edges=(12, 8))
