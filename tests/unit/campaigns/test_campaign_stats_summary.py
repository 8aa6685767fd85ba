"""Campaign summary figures against a small data set worked through by hand."""

from datetime import UTC, datetime, timedelta

import pytest

from audit.domain.campaigns.stats import RunResult, by_campaign, by_target, summarize

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def run(
    outcome: str,
    secs: float | None = None,
    sc: str | None = None,
    gr: str | None = None,
    rang: bool | None = None,
    target: str = "a",
    i: int = 0,
) -> RunResult:
    return RunResult(
        target=target,
        campaign="c1",
        started_at=T0 + timedelta(hours=i),
        outcome=outcome,
        answer_seconds=secs,
        rang=rang,  # type: ignore[arg-type]
        silent_call_verdict=sc,
        greeting_verdict=gr,
    )  # type: ignore[arg-type]


RUNS = [
    run("answered", 3, "pass", "pass"),
    run("answered", 8, "pass", "pass"),
    run("answered", 12, "fail", "pass"),
    run("answered", 15, None, "pass"),
    run("answered", 20, "pass", "fail"),
    run("answered", 31, "fail", "fail"),
    run("busy"),
    run("no_answer"),  # rang out: counts as abandonment
    run("no_answer", rang=False),  # never rang (e.g. dropped before ringing)
    run("failed"),  # our side or the carrier: not an attempt
]


def test_counts_and_rates() -> None:
    s = summarize(RUNS, service_level_threshold_s=15)
    # attempts = 10 runs − 1 failed = 9
    assert (s.runs, s.attempts, s.probe_failures) == (10, 9, 1)
    assert (s.answered, s.busy, s.no_answer) == (6, 1, 2)
    # answer rate 6/9 = 0.666667, Wilson (0.354204, 0.879418)
    assert s.answer_rate.rate == pytest.approx(6 / 9)
    assert s.answer_rate.ci_low == pytest.approx(0.354204, abs=1e-5)
    assert s.answer_rate.ci_high == pytest.approx(0.879418, abs=1e-5)
    # answered within 15 s: 3, 8, 12, 15 ⇒ 4/9 = 0.444444
    assert (s.service_level.count, s.service_level.n) == (4, 9)
    # mean (3+8+12+15+20+31)/6 = 89/6 = 14.8333; p90 nearest rank ⌈0.9·6⌉ = 6th ⇒ 31
    assert s.mean_answer_s == pytest.approx(89 / 6)
    assert s.p90_answer_s == 31
    # abandonment: only the no-answer that rang ⇒ 1/9
    assert (s.abandonment.count, s.abandonment.n) == (1, 9)
    # silent call: verdicts pass, pass, fail, pass, fail (one missing) ⇒ 3/5
    assert (s.silent_call_compliance.count, s.silent_call_compliance.n) == (3, 5)
    # greeting: 4 pass of 6 ⇒ 0.666667
    assert s.greeting_compliance.rate == pytest.approx(4 / 6)


def test_threshold_changes_service_level() -> None:
    # within 10 s: 3, 8 ⇒ 2/9
    assert summarize(RUNS, service_level_threshold_s=10).service_level.count == 2


def test_p90_of_ten_values_is_the_ninth() -> None:
    # ⌈0.9·10⌉ = 9 ⇒ the 9th smallest of 1..10 is 9
    runs = [run("answered", float(v), i=v) for v in range(10, 0, -1)]
    assert summarize(runs).p90_answer_s == 9


def test_empty_campaign_has_no_rates() -> None:
    s = summarize([])
    assert s.attempts == 0 and s.answer_rate.rate is None and s.mean_answer_s is None


def test_grouping_by_target_and_campaign() -> None:
    rows = [*RUNS, run("answered", 5, target="b"), run("busy", target="b")]
    per_target = by_target(rows)
    assert set(per_target) == {"a", "b"}
    assert (per_target["b"].answered, per_target["b"].attempts) == (1, 2)
    assert by_campaign(rows)["c1"].attempts == 11


def test_answered_without_time_is_refused() -> None:
    with pytest.raises(ValueError, match="answer_seconds"):
        run("answered")


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="outcome"):
        run("hung")
