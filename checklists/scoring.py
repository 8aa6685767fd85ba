"""The one scoring function: stored answers + pinned checklist version → score.

Rules (issue 3; seed 000 §一 for veto items; seed 004 Art. 3 for reproducibility):
- start at 100 and subtract the deductions of failed items (deductions of a checklist's
  non-veto items sum to 100, which the validator enforces);
- any failed veto item ⇒ score 0 and fail;
- N/A items are removed and the score is rescaled over the applicable maximum:
  ``score = 100 × (applicable − failed) / applicable``;
- pass ⇔ no failed veto and score ≥ pass mark;
- a failed item without its required evidence, an unanswered item, an N/A where N/A is not
  allowed, or an answer for an unknown item blocks submission.
Arithmetic is decimal and rounded half-up to 2 places, so the same answers always give the same
score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from checklists.schema import Checklist, EvidenceKind

ItemResult = Literal["pass", "fail", "na"]
ITEM_RESULTS: tuple[ItemResult, ...] = ("pass", "fail", "na")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Answer:
    """What an inspector (or a probe) recorded for one item."""

    result: ItemResult
    note: str = ""
    evidence: frozenset[EvidenceKind] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls, result: ItemResult, note: str = "", evidence: Iterable[EvidenceKind] = ()
    ) -> Answer:
        return cls(result, note, frozenset(evidence))


BlockerReason = Literal[
    "unknown_item", "unanswered", "na_not_allowed", "missing_evidence", "nothing_applicable"
]


@dataclass(frozen=True)
class Blocker:
    """One reason the inspection cannot be submitted yet, for a UI to show in its own words."""

    item_id: str | None  # None for "nothing_applicable"
    reason: BlockerReason
    missing: tuple[EvidenceKind, ...] = ()

    def text(self, checklist: Checklist) -> str:
        if self.reason == "unknown_item":
            return f"{self.item_id}: no such item in {checklist.id} v{checklist.version}"
        if self.reason == "unanswered":
            return f"{self.item_id}: not answered"
        if self.reason == "na_not_allowed":
            return f"{self.item_id}: N/A is not allowed for this item"
        if self.reason == "missing_evidence":
            return f"{self.item_id}: failed without required evidence: {', '.join(self.missing)}"
        return "no scored item is applicable (all N/A)"


@dataclass(frozen=True)
class Score:
    score: Decimal | None  # None when no scored item is applicable
    passed: bool
    pass_mark: Decimal
    applicable_max: Decimal
    deducted: Decimal
    failed_items: tuple[str, ...]
    veto_failed: tuple[str, ...]
    na_items: tuple[str, ...]
    blockers: tuple[str, ...]  # why the inspection cannot be submitted yet
    blocking: tuple[Blocker, ...] = ()  # the same, structured

    @property
    def submittable(self) -> bool:
        return not self.blockers


def missing_evidence(required: Iterable[EvidenceKind], answer: Answer) -> list[EvidenceKind]:
    """Required kinds not present; a written note satisfies ``note``."""
    have = set(answer.evidence)
    if answer.note.strip():
        have.add("note")
    return [kind for kind in required if kind not in have]


def score_answers(checklist: Checklist, answers: Mapping[str, Answer]) -> Score:
    """Score ``answers`` (item id → answer) against ``checklist``. Pure and deterministic."""
    blocking: list[Blocker] = []
    known = {item.id for item in checklist.items()}
    for item_id in sorted(set(answers) - known):
        blocking.append(Blocker(item_id, "unknown_item"))

    applicable = Decimal(0)
    deducted = Decimal(0)
    failed: list[str] = []
    veto_failed: list[str] = []
    na: list[str] = []
    for item in checklist.items():
        answer = answers.get(item.id)
        if answer is None:
            blocking.append(Blocker(item.id, "unanswered"))
            continue
        if answer.result == "na":
            na.append(item.id)
            if not item.na_allowed:
                blocking.append(Blocker(item.id, "na_not_allowed"))
            continue
        if item.severity != "veto":
            applicable += item.deduction
        if answer.result == "fail":
            failed.append(item.id)
            if item.severity == "veto":
                veto_failed.append(item.id)
            else:
                deducted += item.deduction
            lacking = missing_evidence(item.evidence_required, answer)
            if lacking:
                blocking.append(Blocker(item.id, "missing_evidence", tuple(lacking)))

    score: Decimal | None
    if veto_failed:
        score = Decimal(0)
    elif applicable == 0:
        score = None
        if not blocking:
            blocking.append(Blocker(None, "nothing_applicable"))
    else:
        score = (Decimal(100) * (applicable - deducted) / applicable).quantize(
            _CENT, rounding=ROUND_HALF_UP
        )
    passed = not veto_failed and score is not None and score >= checklist.pass_mark
    return Score(
        score=score,
        passed=passed,
        pass_mark=checklist.pass_mark,
        applicable_max=applicable,
        deducted=deducted,
        failed_items=tuple(failed),
        veto_failed=tuple(veto_failed),
        na_items=tuple(na),
        blockers=tuple(b.text(checklist) for b in blocking),
        blocking=tuple(blocking),
    )
