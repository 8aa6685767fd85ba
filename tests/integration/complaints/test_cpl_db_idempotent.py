"""Re-importing adds nothing; row order and splitting a file do not change the triggers."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from audit.domain.complaints.services import export_triggers
from audit.domain.complaints.trigger import Point

from .helpers import by_key, cases, import_canonical, operators, pure_triggers, write_csv

# the examples include dates still to come (see conftest.examples_clock)
pytestmark = pytest.mark.usefixtures("examples_clock")

ALL_ROWS = [
    dict(r, external_id=f"K{i}-{r['external_id']}",
         region="320100" if i % 2 else "320200")
    for i, case in enumerate(cases())
    for r in case["complaints"]
]  # fmt: skip


async def test_reimport_adds_nothing(db: str, tmp_path: Path) -> None:
    await operators("OP-A", "OP-B")
    path = write_csv(tmp_path / "all.csv", ALL_ROWS)
    first = await import_canonical(path)
    assert first.imported == len(ALL_ROWS) and first.rejected == []
    before = await export_triggers()
    assert before  # the data fire several triggers
    again = await import_canonical(path)
    assert (again.imported, again.already_present, again.rejected) == (0, len(ALL_ROWS), [])
    assert again.triggers.created == again.triggers.updated == []
    assert await export_triggers() == before


def pure_engine(rows: list[dict]) -> list[dict]:
    items = [
        ((r["operator"], r["region"], r["issue"]),
         Point(date.fromisoformat(r["received_at"]), r["external_id"]))
        for r in rows
    ]  # fmt: skip
    return pure_triggers(items)


async def test_shuffled_and_split_imports_give_same_triggers(db: str, tmp_path: Path) -> None:
    await operators("OP-A", "OP-B")
    rows = list(ALL_ROWS)
    random.Random(7).shuffle(rows)
    cut = len(rows) // 3
    # The later part of the shuffled file first, then the rest: back-dated arrivals galore.
    await import_canonical(write_csv(tmp_path / "b.csv", rows[cut:]))
    await import_canonical(write_csv(tmp_path / "a.csv", rows[:cut]))
    want = pure_engine(ALL_ROWS)
    assert len(want) >= 5
    assert by_key(await export_triggers()) == want
