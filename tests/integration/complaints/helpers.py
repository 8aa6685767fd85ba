"""Shared helpers for the complaints integration tests (not a test module)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from audit.context import SYSTEM
from audit.domain.complaints.csvparse import ParseOptions, parse_rows
from audit.domain.complaints.importer import ImportOptions, ImportReport, import_records
from audit.domain.complaints.mapping import CANONICAL_COLUMNS, canonical_mapping
from audit.domain.complaints.trigger import Point, evaluate_all
from audit.domain.operators.schemas import OperatorIn
from audit.domain.operators.services import create_operator
from tests.datasets import DATASETS

EXAMPLES = DATASETS / "trigger_examples.json"
COMCAST = EXAMPLES.parent / "comcast_telecom_complaints_2015.csv"


def cases() -> list[dict[str, Any]]:
    return json.loads(EXAMPLES.read_text(encoding="utf-8"))["cases"]


async def operators(*names: str) -> dict[str, int]:
    return {n: (await create_operator(OperatorIn(name=n), SYSTEM))["id"] for n in names}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CANONICAL_COLUMNS)
        for r in rows:
            w.writerow([r.get(c, "") for c in CANONICAL_COLUMNS])
    return path


async def import_canonical(path: Path, **flags: Any) -> ImportReport:
    opts = ImportOptions(**flags)
    with open(path, encoding="utf-8", newline="") as fh:
        parsed = list(
            parse_rows(fh, canonical_mapping(opts.source), ParseOptions(
                allow_unknown_issues=opts.allow_unknown_issues))
        )  # fmt: skip
    return await import_records(parsed, opts, SYSTEM)


def by_key(triggers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(triggers, key=lambda t: (t["operator"], t["region"], t["issue"], t["fired_on"]))


def pure_triggers(items: list[tuple[tuple[str, str, str], Point]]) -> list[dict[str, Any]]:
    """The rule applied in memory, shaped like the CLI's JSON export."""
    return by_key(
        [
            {
                "operator": k.key[0],
                "region": k.key[1],
                "issue": k.key[2],
                "fired_on": k.firing.fired_on.isoformat(),
                "complaints": k.firing.external_ids,
            }
            for k in evaluate_all(items)
        ]
    )
