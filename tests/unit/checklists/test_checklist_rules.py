"""The safe rule language: parsing, three-valued evaluation, type errors, no code execution."""

from __future__ import annotations

import pytest

from checklists.measures import MEASURES
from checklists.rules import RuleError, check_rule, evaluate_rule, parse_rule

TYPES = {name: kind for name, (kind, _m) in MEASURES.items()}


@pytest.mark.parametrize(
    ("rule", "measures", "expected"),
    [
        ("answer_seconds <= 15", {"answer_seconds": 15}, True),
        ("answer_seconds <= 15", {"answer_seconds": 15.5}, False),
        ("answer_seconds < 15", {"answer_seconds": 15}, False),
        ("silent_call.verdict == pass", {"silent_call": {"verdict": "pass"}}, True),
        ("silent_call.verdict == pass", {"silent_call.verdict": "fail"}, False),
        ("silent_call.verdict != 'pass'", {"silent_call.verdict": "fail"}, True),
        ("answered", {"answered": True}, True),
        ("not answered", {"answered": True}, False),
        ("greeting.forbidden_phrases == []", {"greeting.forbidden_phrases": []}, True),
        (
            "greeting.forbidden_phrases == []",
            {"greeting.forbidden_phrases": ["你问我,我问谁?"]},
            False,
        ),
        ("outcome in [busy, no_answer]", {"outcome": "busy"}, True),
        ("outcome not in [busy, no_answer]", {"outcome": "busy"}, False),
        ("taboos not contains told_not_to_reply", {"taboos": []}, True),
        ("taboos contains told_not_to_reply", {"taboos": ["told_not_to_reply"]}, True),
        ("answer_seconds <= 15 and answered", {"answer_seconds": 3, "answered": True}, True),
        ("answer_seconds <= 15 or answered", {"answer_seconds": 30, "answered": False}, False),
        ("(answered or rings < 2) and not answered", {"answered": False, "rings": 1}, True),
    ],
)
def test_rule_results(rule: str, measures: dict[str, object], expected: bool) -> None:
    assert evaluate_rule(rule, measures) is expected


def test_missing_or_null_measure_cannot_be_judged() -> None:
    assert evaluate_rule("answer_seconds <= 15", {}) is None
    assert evaluate_rule("greeting.time_of_day", {"greeting": {"time_of_day": None}}) is None


def test_kleene_logic_with_unknowns() -> None:
    assert evaluate_rule("answered and rings <= 3", {"answered": False}) is False
    assert evaluate_rule("answered and rings <= 3", {"answered": True}) is None
    assert evaluate_rule("answered or rings <= 3", {"answered": True}) is True
    assert evaluate_rule("greeting.company or greeting.company == null", {}) is True


def test_params_supply_thresholds() -> None:
    rule = "first_response_seconds <= params.first_response_max_s"
    assert evaluate_rule(rule, {"first_response_seconds": 50}, {"first_response_max_s": 60})
    assert not evaluate_rule(rule, {"first_response_seconds": 50}, {"first_response_max_s": 45})
    with pytest.raises(RuleError, match="first_response_max_s"):
        evaluate_rule(rule, {"first_response_seconds": 50})


def test_comparing_different_kinds_is_an_error() -> None:
    with pytest.raises(RuleError, match="answer_seconds is a str"):
        evaluate_rule("answer_seconds <= 15", {"answer_seconds": "fast"})
    with pytest.raises(RuleError, match="yes/no"):
        evaluate_rule("answered", {"answered": "yes"})


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "answer_seconds <=",
        "answer_seconds <= 15 and",
        "15 <= answer_seconds",
        "__import__('os').system('true')",
        "answer_seconds <= 15; answered",
        "(answered",
        "outcome in busy",
    ],
)
def test_bad_syntax_is_rejected(rule: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(rule)


def test_static_check_against_the_registry() -> None:
    assert check_rule("answer_seconds <= 15", TYPES, {}) == []
    assert check_rule("answr_seconds <= 15", TYPES, {}) == [
        "rule uses unknown measure 'answr_seconds'"
    ]
    assert "compared with 'pass'" in check_rule("answer_seconds == pass", TYPES, {})[0]
    assert "bare test needs a bool" in check_rule("answer_seconds", TYPES, {})[0]
    assert "needs a list measure" in check_rule("outcome contains x", TYPES, {})[0]
    assert check_rule("answer_seconds <= params.m", TYPES, {"m": 15}) == []
