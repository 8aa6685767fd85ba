"""Calls to the same number keep the minimum spacing; impossible plans name the field."""

import itertools

import pytest

from audit.domain.campaigns.schedule import PlanningError, PlanTarget, ScheduleSpec, plan_runs

MON_FRI = [{"kind": "weekly", "days": "mon-fri", "start": "08:00", "end": "20:00"}]


def spec(**kw: object) -> ScheduleSpec:
    data: dict[str, object] = {
        "start_date": "2026-03-02",  # Monday
        "end_date": "2026-03-06",  # Friday: 5 windows of 12 h
        "windows": MON_FRI,
        "caller_ids": ["+8613900000001"],
        "seed": 4,
        "runs_per_target": 5,
        **kw,
    }
    return ScheduleSpec.model_validate(data)


def gaps(runs: list) -> list[float]:
    return [(b.scheduled_at - a.scheduled_at).total_seconds() for a, b in itertools.pairwise(runs)]


@pytest.mark.parametrize("seed", range(10))
def test_one_call_a_day_fits_using_the_nights_between_windows(seed: int) -> None:
    # 5 runs spaced 24 h need 96 h of spacing; the windows hold 60 h, the nights make it fit.
    runs = plan_runs(spec(min_spacing_s=86400, seed=seed), [PlanTarget("t", "+8610000")])
    assert len(runs) == 5
    assert min(gaps(runs)) >= 86400


def test_targets_sharing_a_number_are_spaced_together() -> None:
    targets = [PlanTarget("hall-a", "+8610000"), PlanTarget("hall-b", "+8610000")]
    runs = plan_runs(spec(runs_per_target=10, min_spacing_s=7200), targets)
    assert len(runs) == 20
    assert min(gaps(runs)) >= 7200
    assert {r.target for r in runs} == {"hall-a", "hall-b"}


def test_too_many_runs_for_the_spacing_names_min_spacing() -> None:
    with pytest.raises(PlanningError) as err:
        plan_runs(spec(min_spacing_s=86400, runs_per_target=6), [PlanTarget("t", "+8610000")])
    assert err.value.field == "min_spacing_s"
    assert "6 calls" in str(err.value)


def test_no_open_time_names_windows() -> None:
    s = spec(start_date="2026-03-07", end_date="2026-03-08")  # a weekend, Mon–Fri windows
    with pytest.raises(PlanningError) as err:
        plan_runs(s, [PlanTarget("t", "+8610000")])
    assert err.value.field == "windows"


def test_bad_target_number_names_the_target() -> None:
    with pytest.raises(PlanningError) as err:
        plan_runs(spec(), [PlanTarget("ok", "+8610000"), PlanTarget("bad", "10086")])
    assert err.value.field == "targets[1].number"


def test_duplicate_target_is_an_error() -> None:
    with pytest.raises(PlanningError) as err:
        plan_runs(spec(), [PlanTarget("x", "+8610000"), PlanTarget("x", "+8610001")])
    assert err.value.field == "targets"
