"""Caller IDs rotate; a covert campaign never shows a number published as the regulator's."""

import itertools
from collections import Counter

import pytest

from audit.domain.campaigns.schedule import PlanningError, PlanTarget, ScheduleSpec, plan_runs

PUBLISHED = "+8657112300"  # the regulator's published complaint line
COVERT = ["+8613900000001", "+8613900000002", "+8613900000003"]
TARGETS = [PlanTarget("a", "+8610000"), PlanTarget("b", "+8610086")]


def spec(**kw: object) -> ScheduleSpec:
    data: dict[str, object] = {
        "start_date": "2026-03-02",
        "end_date": "2026-03-13",
        "windows": [{"kind": "weekly", "days": "mon-fri", "start": "08:00", "end": "20:00"}],
        "runs_per_target": 9,
        "caller_ids": [PUBLISHED, *COVERT],
        "published_numbers": [PUBLISHED],
        "seed": 21,
        **kw,
    }
    return ScheduleSpec.model_validate(data)


def test_covert_campaign_skips_published_numbers_and_rotates_the_rest() -> None:
    runs = plan_runs(spec(), TARGETS)
    used = Counter(r.caller_id for r in runs)
    assert PUBLISHED not in used
    assert set(used) == set(COVERT)
    # Balanced rotation: 18 calls over 3 numbers, 6 each.
    assert sorted(used.values()) == [6, 6, 6]


def test_a_number_never_sees_the_same_caller_twice_in_a_row() -> None:
    runs = plan_runs(spec(), TARGETS)
    for target in ("a", "b"):
        mine = [r.caller_id for r in runs if r.target == target]
        assert all(x != y for x, y in itertools.pairwise(mine)), mine


def test_open_campaign_may_use_the_published_number() -> None:
    runs = plan_runs(spec(covert=False, caller_ids=[PUBLISHED]), TARGETS)
    assert {r.caller_id for r in runs} == {PUBLISHED}


def test_covert_campaign_with_only_published_numbers_names_caller_ids() -> None:
    with pytest.raises(PlanningError) as err:
        plan_runs(spec(caller_ids=[PUBLISHED]), TARGETS)
    assert err.value.field == "caller_ids"
