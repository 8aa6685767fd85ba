"""Holiday calendar and manual blackout dates remove whole local days."""

from datetime import date
from zoneinfo import ZoneInfo

from audit.domain.campaigns.schedule import PlanTarget, ScheduleSpec, open_intervals, plan_runs

SH = ZoneInfo("Asia/Shanghai")


def spec(**kw: object) -> ScheduleSpec:
    data: dict[str, object] = {
        "start_date": "2026-09-28",
        "end_date": "2026-10-16",
        "windows": [{"kind": "weekly", "days": "mon-sun", "start": "00:00", "end": "23:59"}],
        "runs_per_target": 60,
        "caller_ids": ["+8613900000001"],
        "seed": 11,
        **kw,
    }
    return ScheduleSpec.model_validate(data)


def local_days(s: ScheduleSpec) -> set[date]:
    return {
        r.scheduled_at.astimezone(SH).date() for r in plan_runs(s, [PlanTarget("t", "+8610000")])
    }


def open_days(s: ScheduleSpec) -> set[date]:
    from datetime import datetime

    out = set()
    for a, b in open_intervals(s):
        out.add(datetime.fromtimestamp(a, SH).date())
        out.add(datetime.fromtimestamp(b - 1, SH).date())
    return out


def test_national_day_week_from_the_china_calendar_is_skipped() -> None:
    # 2026 National Day: 1–3 October, 5 October (observed), 6–7 October (days off
    # substituted from 20 Sept and 10 Oct); 4 October is an ordinary Sunday.
    days = open_days(spec())
    golden_week = {date(2026, 10, d) for d in (1, 2, 3, 5, 6, 7)}
    assert date(2026, 10, 4) in days
    assert not days & golden_week
    assert date(2026, 9, 30) in days and date(2026, 10, 8) in days
    assert not local_days(spec()) & golden_week


def test_without_the_calendar_the_holidays_are_open() -> None:
    assert date(2026, 10, 1) in open_days(spec(holiday_calendar=False))


def test_manual_blackout_dates_are_skipped() -> None:
    manual = [date(2026, 10, 12), date(2026, 10, 13)]
    days = open_days(spec(blackout_dates=manual))
    assert not days & set(manual)
    assert date(2026, 10, 14) in days
