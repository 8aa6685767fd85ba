"""Every planned time lies inside a window, in the campaign's time zone."""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter

from audit.domain.campaigns.schedule import PlanTarget, ScheduleSpec, plan_runs

SH = ZoneInfo("Asia/Shanghai")
TARGET = [PlanTarget("hotline", "+8610086")]


def base(**kw: object) -> dict[str, object]:
    return {"runs_per_target": 40, "caller_ids": ["+8613900000001"], "seed": 9, **kw}


@pytest.mark.parametrize("seed", range(5))
def test_weekly_window_mon_fri_08_20_shanghai(seed: int) -> None:
    spec = ScheduleSpec.model_validate(
        base(
            start_date="2026-03-02",
            end_date="2026-03-29",
            seed=seed,
            windows=[{"kind": "weekly", "days": "mon-fri", "start": "08:00", "end": "20:00"}],
        )
    )
    runs = plan_runs(spec, TARGET)
    assert len(runs) == 40
    for r in runs:
        local = r.scheduled_at.astimezone(SH)
        assert r.scheduled_at.tzinfo is UTC
        assert local.weekday() < 5, local
        assert time(8) <= local.time() <= time(20), local
        assert datetime(2026, 3, 2, tzinfo=SH) <= local < datetime(2026, 3, 30, tzinfo=SH)
    # Spread over the period (stratified sampling), not bunched at one end.
    weeks = {r.scheduled_at.astimezone(SH).isocalendar().week for r in runs}
    assert len(weeks) == 4


def test_cron_window_opens_at_each_occurrence_for_its_duration() -> None:
    # Tuesdays and Thursdays from 14:30 for 90 minutes.
    spec = ScheduleSpec.model_validate(
        base(
            start_date="2026-03-02",
            end_date="2026-03-15",
            holiday_calendar=False,
            windows=[{"kind": "cron", "cron": "30 14 * * 2,4", "duration_minutes": 90}],
        )
    )
    runs = plan_runs(spec, TARGET)
    for r in runs:
        local = r.scheduled_at.astimezone(SH)
        start = croniter("30 14 * * 2,4", local + timedelta(seconds=1)).get_prev(datetime)
        assert local - start <= timedelta(minutes=90), local
        assert local.weekday() in (1, 3)


def test_fixed_window_needs_no_dates() -> None:
    start = datetime(2026, 5, 11, 9, 0, tzinfo=SH)
    spec = ScheduleSpec.model_validate(
        base(
            runs_per_target=3,
            min_spacing_s=600,
            windows=[{"kind": "fixed", "start": start, "end": start + timedelta(hours=1)}],
        )
    )
    runs = plan_runs(spec, TARGET)
    assert all(start <= r.scheduled_at <= start + timedelta(hours=1) for r in runs)
    gaps = [(b.scheduled_at - a.scheduled_at).total_seconds() for a, b in itertools.pairwise(runs)]
    assert min(gaps) >= 600


def test_other_time_zone_is_honoured() -> None:
    spec = ScheduleSpec.model_validate(
        base(
            timezone="Europe/London",
            holiday_calendar=False,
            start_date="2026-03-23",
            end_date="2026-04-03",  # across the UK's switch to summer time on 29 March
            windows=[{"kind": "weekly", "days": "mon-fri", "start": "09:00", "end": "10:00"}],
        )
    )
    london = ZoneInfo("Europe/London")
    for r in plan_runs(spec, TARGET):
        assert time(9) <= r.scheduled_at.astimezone(london).time() <= time(10)
