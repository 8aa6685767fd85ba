"""Every worked example in shared/datasets/trigger_examples.json, in file order and shuffled."""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

import pytest

from audit.domain.complaints.trigger import Point, evaluate_all
from tests.datasets import DATASETS

EXAMPLES = DATASETS / "trigger_examples.json"
CASES: list[dict[str, Any]] = json.loads(EXAMPLES.read_text(encoding="utf-8"))["cases"]


def run(complaints: list[dict[str, str]]) -> list[dict[str, Any]]:
    items = [
        (
            (c["operator"], c["region"], c["issue"]),
            Point(date.fromisoformat(c["received_at"]), c["external_id"]),
        )
        for c in complaints
    ]
    out = [
        {
            "operator": kf.key[0],
            "region": kf.key[1],
            "issue": kf.key[2],
            "fired_on": kf.firing.fired_on.isoformat(),
            "complaints": kf.firing.external_ids,
        }
        for kf in evaluate_all(items)
    ]
    return sorted(out, key=lambda t: (t["operator"], t["region"], t["issue"], t["fired_on"]))


def expected(case: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(
        case["expected_triggers"],
        key=lambda t: (t["operator"], t["region"], t["issue"], t["fired_on"]),
    )


def test_examples_file_has_cases() -> None:
    assert len(CASES) >= 9


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_example_as_listed(case: dict[str, Any]) -> None:
    assert run(case["complaints"]) == expected(case)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_example_in_any_order(case: dict[str, Any]) -> None:
    rnd = random.Random(case["name"])
    for _ in range(20):
        rows = list(case["complaints"])
        rnd.shuffle(rows)
        assert run(rows) == expected(case)
