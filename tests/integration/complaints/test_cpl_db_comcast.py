"""The real Comcast data set through its column mapping (region = city + state, issue from
the keyword classifier, dd-mm-yy dates), checked against the pure rule over the raw file."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path

from audit.context import SYSTEM
from audit.domain.complaints.fingerprint import normalise_summary
from audit.domain.complaints.importer import ImportOptions
from audit.domain.complaints.mapping import MAPPINGS_DIR, load_mapping
from audit.domain.complaints.services import export_triggers, import_file, list_triggers
from audit.domain.complaints.tables import Complaint
from audit.domain.complaints.taxonomy import default_classifier
from audit.domain.complaints.trigger import Point

from .helpers import COMCAST, by_key, pure_triggers

MAPPING = load_mapping(MAPPINGS_DIR / "comcast.yaml")


def expected_from_raw_file() -> tuple[list[dict], int]:
    """The pure rule over the file, a complaint repeated on the same day with the same
    normalised summary in the same key counted once (issue 20); and how many were repeats."""
    classify = default_classifier().classify
    items = []
    seen: set[tuple] = set()
    repeats = 0
    with open(COMCAST, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            region = f"{r['City'].strip()}, {r['State'].strip()}"
            key = ("Comcast", region, classify(r["Customer Complaint"]).category)
            day = datetime.strptime(r["Date"], "%d-%m-%y").date()
            same = (key[0], region.lower(), key[2], day, normalise_summary(r["Customer Complaint"]))
            if same in seen:
                repeats += 1
                continue
            seen.add(same)
            items.append((key, Point(day, r["Ticket #"])))
    return pure_triggers(items), repeats


async def test_comcast_import(db: str, tmp_path: Path) -> None:
    opts = ImportOptions(source=MAPPING.source, create_operators=True, allow_unknown_regions=True)
    report = await import_file(COMCAST, MAPPING, opts, SYSTEM)
    assert report.rejected == []
    assert (report.records, report.imported) == (2224, 2224)
    assert report.operators_created == ["Comcast"]
    rows = await Complaint.select(
        Complaint.classified, Complaint.region_resolved, Complaint.issue, Complaint.region
    )
    assert len(rows) == 2224
    assert all(r["classified"] and not r["region_resolved"] for r in rows)
    assert Counter(r["region"] for r in rows)["atlanta, georgia"] == 63
    issues = Counter(r["issue"] for r in rows)
    assert issues["billing"] > 500 and issues["network"] > 300

    want, repeats = expected_from_raw_file()
    assert len(want) > 20
    assert report.duplicates == repeats > 0
    got = by_key(await export_triggers())
    # Free-text regions are keyed case-insensitively; the export shows them as first imported.
    assert got == want
    listed = await list_triggers(SYSTEM, status="new", limit=1000)
    assert sum(t["escalation"] for t in listed) > 0

    again = await import_file(COMCAST, MAPPING, opts, SYSTEM)
    assert (again.imported, again.already_present, again.rejected) == (0, 2224, [])


async def test_stored_complaint_reads_back(db: str, tmp_path: Path) -> None:
    opts = ImportOptions(source=MAPPING.source, create_operators=True, allow_unknown_regions=True)
    await import_file(COMCAST, MAPPING, opts, SYSTEM)
    row = await Complaint.select().where(Complaint.external_id == "250635").first()
    assert row is not None
    assert row["created_at"].tzinfo is not None  # the database default, read back as aware
    assert (row["region"], row["issue"], row["classified_by"]) == (
        "abingdon, maryland",
        "network",
        "keywords: speed, internet, cable",
    )
    assert str(row["received_on"]) == "2015-04-22" and row["received_at"] is None
