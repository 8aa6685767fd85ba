"""Report periods: quarters (the default kind) and months, their bounds and predecessors, and
the edit diff the audit log keeps for a notice."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.domain.notices.services import content_changes
from audit.domain.reports.periods import last_complete_quarter, parse
from audit.errors import DomainError


def test_quarters_and_months() -> None:
    q = parse("2026q4")
    assert (q.label, q.start, q.end, q.last_day) == (
        "2026Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1), dt.date(2026, 12, 31))  # fmt: skip
    assert q.previous().label == "2026Q3" and parse("2026Q1").previous().label == "2025Q4"
    m = parse("2026-12")
    assert (m.start, m.end) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert parse("2026-01").previous().label == "2025-12"
    assert q.zh() == "2026年第四季度" and m.zh() == "2026年12月"


def test_default_is_the_last_complete_quarter() -> None:
    assert last_complete_quarter(dt.date(2026, 12, 3)).label == "2026Q3"
    assert last_complete_quarter(dt.date(2026, 1, 1)).label == "2025Q4"
    assert last_complete_quarter(dt.date(2026, 4, 1)).label == "2026Q1"


@pytest.mark.parametrize("bad", ["2026Q5", "2026-13", "2026", "Q3", "2026Q3x"])
def test_bad_periods_name_the_field(bad: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse(bad)
    assert exc.value.field == "period"


def test_edit_diff_keeps_only_changed_paths() -> None:
    before = {"period": "Q3", "rows": [{"probes": 1, "x": {"a": 1}}], "gone": 1}
    after = {"period": "Q3", "rows": [{"probes": 2, "x": {"a": 1}}], "new": [1, 2]}
    old, new = content_changes(before, after)
    assert old == {"rows[0].probes": 1, "gone": 1}
    assert new == {"rows[0].probes": 2, "new[0]": 1, "new[1]": 2}
