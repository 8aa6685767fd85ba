"""Inconclusive silent calls (our listen ended inside the protocol) are left out of the
compliance rate and counted apart (issue 18 item 4)."""

from audit.domain.campaigns.probe_bridge import result_from_row
from audit.domain.campaigns.stats import summarize
from tests.unit.campaigns.test_campaign_stats_summary import run


def test_inconclusive_runs_are_not_in_the_rate_but_are_counted() -> None:
    runs = [
        run("answered", 3, "pass"),
        run("answered", 4, "fail"),
        run("answered", 5, "inconclusive"),
        run("answered", 6, "inconclusive"),
    ]
    s = summarize(runs)
    assert (s.silent_call_compliance.count, s.silent_call_compliance.n) == (1, 2)
    assert s.silent_call_inconclusive == 2


def test_a_probe_run_without_a_verdict_becomes_an_inconclusive_campaign_run() -> None:
    measures = {
        "answer_seconds": 4.0,
        "silent_call": {"verdict": None, "inconclusive": True, "reasons": ["listening_too_short"]},
    }
    row = {"id": 7, "status": "completed", "outcome": "answered", "measures": measures}
    result = result_from_row(row)
    assert result is not None and result.silent_call_verdict == "inconclusive"
    row["measures"] = {"answer_seconds": 4.0, "silent_call": {"verdict": "fail"}}
    assert result_from_row(row).silent_call_verdict == "fail"  # type: ignore[union-attr]
