"""The worked examples of ../shared/datasets/greeting_examples.json, reproduced exactly."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from probes.analysis.greeting import score_greeting
from tests.datasets import DATASETS

DATASET = DATASETS / "greeting_examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(DATASET.read_text(encoding="utf-8"))["examples"]


def test_the_dataset_has_the_examples() -> None:
    assert len(EXAMPLES) == 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"ex{i}" for i in range(len(EXAMPLES))])
def test_example(example: dict[str, Any]) -> None:
    result = score_greeting(
        example["text"],
        datetime.fromisoformat(example["at"]),
        company=example.get("company"),
        answered_after_s=example.get("answered_after"),
    ).to_json()
    for key, expected in example["expect"].items():
        got = result["verdict"] if key == "verdict" else result["elements"][key]
        assert got == expected, (key, result)
