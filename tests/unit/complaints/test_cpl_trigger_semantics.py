"""Clauses of the trigger rule (issue 7): window edges, month ends, leap years, joins, config."""

from __future__ import annotations

from datetime import date

import pytest

from audit.domain.complaints.trigger import Point, TriggerRule, evaluate_key


def pts(*days: str) -> list[Point]:
    return [Point(date.fromisoformat(d), f"E{i:03d}") for i, d in enumerate(days, 1)]


def fired(points: list[Point], rule: TriggerRule | None = None) -> list[tuple[str, list[str]]]:
    out = evaluate_key(points, rule or TriggerRule())
    return [(f.fired_on.isoformat(), f.external_ids) for f in out]


def test_two_complaints_never_fire() -> None:
    assert fired(pts("2026-01-01", "2026-01-02")) == []


def test_join_on_last_day_of_window_and_pool_the_day_after() -> None:
    # fired 2026-01-31; +1 month = 2026-02-28 (clamped): 02-28 joins, 03-01 starts a pool.
    out = evaluate_key(pts("2026-01-29", "2026-01-30", "2026-01-31", "2026-02-28", "2026-03-01"))
    assert len(out) == 1
    assert out[0].fired_on == date(2026, 1, 31)
    assert [p.external_id for p in out[0].joined] == ["E004"]
    assert out[0].count_at_firing == 3
    assert out[0].escalation == 1


def test_join_window_in_leap_february() -> None:
    # 2028-01-31 + 1 month = 2028-02-29: a complaint on 02-29 joins.
    out = evaluate_key(pts("2028-01-30", "2028-01-31", "2028-01-31", "2028-02-29"))
    assert [(f.fired_on, f.escalation) for f in out] == [(date(2028, 1, 31), 1)]


def test_month_end_drop_out_in_common_year() -> None:
    # 2027-03-29 - 1 month = 2027-02-28 (clamped? no: 02-29 does not exist, day 29 → 28):
    # a complaint on 02-27 is dated before the window and drops out.
    assert fired(pts("2027-02-27", "2027-03-01", "2027-03-29")) == []
    assert fired(pts("2027-02-28", "2027-03-01", "2027-03-29")) == [
        ("2027-03-29", ["E001", "E002", "E003"])
    ]


def test_dropped_complaints_never_come_back() -> None:
    # E001 drops out on 02-15; later complaints within a month of each other fire without it.
    assert fired(pts("2026-01-01", "2026-01-20", "2026-02-15", "2026-02-16")) == [
        ("2026-02-16", ["E002", "E003", "E004"])
    ]


def test_pool_restarts_after_window_and_fires_again() -> None:
    days = ["2026-05-01", "2026-05-01", "2026-05-01", "2026-06-02", "2026-06-02", "2026-06-02"]
    assert fired(pts(*days)) == [
        ("2026-05-01", ["E001", "E002", "E003"]),
        ("2026-06-02", ["E004", "E005", "E006"]),
    ]


def test_same_day_complaint_after_firing_joins() -> None:
    # Threshold 3, four complaints on one day: the third fires, the fourth joins (escalation).
    out = evaluate_key(pts("2026-08-10", "2026-08-10", "2026-08-10", "2026-08-10"))
    assert out[0].count_at_firing == 3
    assert out[0].escalation == 1
    assert out[0].external_ids == ["E001", "E002", "E003", "E004"]


def test_threshold_and_window_are_configurable() -> None:
    days = pts("2026-01-01", "2026-02-15", "2026-03-10")
    assert fired(days) == []
    assert fired(days, TriggerRule(threshold=3, window_months=3)) == [
        ("2026-03-10", ["E001", "E002", "E003"])
    ]
    assert fired(days[:2], TriggerRule(threshold=2, window_months=2)) == [
        ("2026-02-15", ["E001", "E002"])
    ]


def test_rule_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="threshold"):
        TriggerRule(threshold=0)
    with pytest.raises(ValueError, match="window_months"):
        TriggerRule(window_months=0)


def test_same_day_ordering_uses_external_id_as_text() -> None:
    # "E10" sorts before "E9" as text: with threshold 2 the first two by id fire.
    p = [Point(date(2026, 1, 1), "E9"), Point(date(2026, 1, 1), "E10")]
    assert evaluate_key(p, TriggerRule(threshold=2))[0].external_ids == ["E10", "E9"]


def test_refs_are_carried_through() -> None:
    p = [Point(date(2026, 1, d), f"X{d}", ref=100 + d) for d in (1, 2, 3)]
    assert [q.ref for q in evaluate_key(p)[0].members] == [101, 102, 103]
