"""Same spec and seed ⇒ the same plan (auditable); another seed ⇒ another plan (unpredictable)."""

from audit.domain.campaigns.schedule import PlanTarget, ScheduleSpec, plan_runs

TARGETS = [PlanTarget("venue-1", "+862110000"), PlanTarget("venue-2", "+862110086")]


def spec(seed: int) -> ScheduleSpec:
    return ScheduleSpec.model_validate(
        {
            "start_date": "2026-03-02",
            "end_date": "2026-03-20",
            "windows": [{"kind": "weekly", "days": "mon-fri", "start": "08:00", "end": "20:00"}],
            "runs_per_target": 6,
            "min_spacing_s": 3600,
            "caller_ids": ["+8613900000001", "+8613900000002"],
            "seed": seed,
        }
    )


def test_same_seed_gives_the_same_plan() -> None:
    first = plan_runs(spec(42), TARGETS)
    again = plan_runs(spec(42), list(reversed(TARGETS)))
    assert first == again
    assert len(first) == 12


def test_different_seeds_give_different_times() -> None:
    a = {(r.target, r.scheduled_at) for r in plan_runs(spec(1), TARGETS)}
    b = {(r.target, r.scheduled_at) for r in plan_runs(spec(2), TARGETS)}
    assert a != b
    # Not just shifted a little: most times differ.
    assert len(a & b) <= 2


def test_adding_a_target_leaves_other_targets_times_unchanged() -> None:
    base = [r for r in plan_runs(spec(5), TARGETS[:1])]
    more = [r for r in plan_runs(spec(5), TARGETS) if r.target == "venue-1"]
    assert [r.scheduled_at for r in base] == [r.scheduled_at for r in more]


def test_sequence_numbers_count_each_targets_runs_in_time_order() -> None:
    runs = plan_runs(spec(3), TARGETS)
    assert runs == sorted(runs, key=lambda r: (r.scheduled_at, r.target))
    for key in ("venue-1", "venue-2"):
        mine = [r for r in runs if r.target == key]
        assert [r.sequence for r in mine] == list(range(6))
