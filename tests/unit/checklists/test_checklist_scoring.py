"""The scoring function on its own: veto, deductions, N/A rescale, pass mark, blockers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from checklists.loader import load_checklist
from checklists.schema import Checklist
from checklists.scoring import Answer, Blocker, score_answers

FIXTURE = Path(__file__).parents[2] / "fixtures" / "checklists" / "valid" / "scoring.yaml"


@pytest.fixture(scope="module")
def sample() -> Checklist:
    return load_checklist(FIXTURE)


def answers(**overrides: Answer) -> dict[str, Answer]:
    base = {k: Answer.of("pass") for k in ("v", "c1", "m1", "m2")}
    base.update(overrides)
    return base


def test_all_pass_scores_100_and_passes(sample: Checklist) -> None:
    s = score_answers(sample, answers())
    assert s.score == Decimal("100.00")
    assert s.passed and s.submittable
    assert s.failed_items == ()


def test_failed_items_subtract_their_deductions(sample: Checklist) -> None:
    s = score_answers(sample, answers(m1=Answer.of("fail")))
    assert s.score == Decimal("70.00")
    assert s.deducted == 30
    assert not s.passed  # 70 < pass mark 80
    assert s.failed_items == ("m1",)


def test_score_equal_to_pass_mark_passes(sample: Checklist) -> None:
    s = score_answers(sample, answers(m2=Answer.of("fail", note="waited 40 minutes")))
    assert s.score == Decimal("80.00")
    assert s.passed


def test_failed_veto_scores_zero_whatever_else(sample: Checklist) -> None:
    s = score_answers(sample, answers(v=Answer.of("fail", evidence=["recording"])))
    assert s.score == Decimal(0)
    assert not s.passed
    assert s.veto_failed == ("v",)
    assert s.submittable


def test_na_items_are_removed_and_score_rescaled(sample: Checklist) -> None:
    s = score_answers(sample, answers(m1=Answer.of("na"), m2=Answer.of("fail", note="slow")))
    # applicable maximum 50 + 20 = 70, 20 lost: 100 × 50 / 70 = 71.428… → 71.43
    assert s.applicable_max == 70
    assert s.score == Decimal("71.43")
    assert s.na_items == ("m1",)
    assert not s.passed


def test_na_without_failures_still_scores_100(sample: Checklist) -> None:
    s = score_answers(sample, answers(m1=Answer.of("na"), m2=Answer.of("na")))
    assert s.score == Decimal("100.00")
    assert s.passed


def test_failed_item_without_required_evidence_blocks_submission(sample: Checklist) -> None:
    s = score_answers(sample, answers(c1=Answer.of("fail", note="no tariff board")))
    assert not s.submittable
    assert s.blockers == ("c1: failed without required evidence: photo",)
    assert s.blocking == (Blocker("c1", "missing_evidence", ("photo",)),)
    ok = score_answers(sample, answers(c1=Answer.of("fail", evidence=["photo"])))
    assert ok.submittable
    assert ok.score == Decimal("50.00")


def test_note_evidence_is_satisfied_by_a_written_note(sample: Checklist) -> None:
    assert not score_answers(sample, answers(m2=Answer.of("fail", note="  "))).submittable
    assert score_answers(sample, answers(m2=Answer.of("fail", note="45 min"))).submittable


def test_unanswered_unknown_and_forbidden_na_block_submission(sample: Checklist) -> None:
    given = answers(c1=Answer.of("na"), zz=Answer.of("pass"))
    del given["m1"]
    s = score_answers(sample, given)
    assert set(s.blockers) == {
        "zz: no such item in scoring-sample v3",
        "m1: not answered",
        "c1: N/A is not allowed for this item",
    }
    assert {(b.item_id, b.reason) for b in s.blocking} == {
        ("zz", "unknown_item"),
        ("m1", "unanswered"),
        ("c1", "na_not_allowed"),
    }


def test_same_answers_give_the_same_score(sample: Checklist) -> None:
    given = answers(m1=Answer.of("na"), m2=Answer.of("fail", note="x"))
    first = score_answers(sample, given)
    again = score_answers(load_checklist(FIXTURE), dict(reversed(list(given.items()))))
    assert first == again
