"""The worked examples through the database: CSV import, and complaint by complaint."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from audit.context import SYSTEM
from audit.domain.complaints.schemas import ComplaintIn
from audit.domain.complaints.services import add_complaint, export_triggers

from .helpers import by_key, cases, import_canonical, operators, write_csv

# the examples include dates still to come (see conftest.examples_clock)
pytestmark = pytest.mark.usefixtures("examples_clock")

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
async def test_example_imported_from_csv(db: str, tmp_path: Path, case: dict[str, Any]) -> None:
    await operators("OP-A", "OP-B")
    report = await import_canonical(write_csv(tmp_path / "c.csv", case["complaints"]))
    assert report.rejected == []
    assert report.imported == len(case["complaints"])
    assert by_key(await export_triggers()) == by_key(case["expected_triggers"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
async def test_example_added_one_by_one_in_random_order(db: str, case: dict[str, Any]) -> None:
    await operators("OP-A", "OP-B")
    rows = list(case["complaints"])
    random.Random(case["name"]).shuffle(rows)
    for r in rows:
        await add_complaint(ComplaintIn(**r), SYSTEM)
    assert by_key(await export_triggers()) == by_key(case["expected_triggers"])
