"""`audit complaints import`: bad rows go to a rejects CSV beside a summary, good rows import."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from audit.domain.complaints.services import export_triggers

from .helpers import operators

AUDIT = [sys.executable, "-m", "audit"]

CSV_TEXT = """external_id,operator,region,issue,received_at,channel,summary
R1,OP-A,320100,billing,2026-03-01,hotline,charged twice
R2,,320100,billing,2026-03-01,hotline,no operator
R3,OP-Z,320100,billing,2026-03-01,hotline,unknown operator
R4,OP-A,320100,billing,2026-02-30,hotline,no such day
R5,OP-A,999999,billing,2026-03-01,hotline,unknown region
R6,OP-A,江苏省,billing,2026-03-01,hotline,a province is not a prefecture
R7,OP-A,320100,weather,2026-03-01,hotline,unknown issue
R8,OP-A,320100,billing,2026-03-01
R1,OP-A,320100,billing,2026-03-09,hotline,duplicate id
R9,OP-A,南京市,计费,2026-03-05,web,region by name and issue by alias
R10,OP-A,320100,billing,2026-03-01T17:30:00Z,hotline,01:30 on 03-02 in Shanghai
R11,OP-A,320200,,2026-03-01,hotline,"two
lines: 信号太差 经常掉线"
R12,OP-A,320100,billing,yesterday,hotline,bad date after a two-line record
"""

WANT_REJECTS = [
    ("3", "operator", "operator is missing"),
    ("4", "operator", "unknown operator 'OP-Z'"),
    ("5", "received_at", "received_at '2026-02-30' is not an ISO date"),
    ("6", "region", "region '999999' is not in the GB/T 2260 registry"),
    ("7", "region", "a province"),
    ("8", "issue", "issue 'weather' is not in the taxonomy"),
    ("9", "", "expected 7 fields, got 5"),
    ("10", "external_id", "duplicate external_id 'R1' (first on line 2)"),
    ("15", "received_at", "received_at 'yesterday'"),
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AUDIT, "complaints", *args], capture_output=True, text=True, env=os.environ.copy(),
        timeout=120, check=False,
    )  # fmt: skip


async def test_rejects_file_and_summary(db: str, tmp_path: Path) -> None:
    await operators("OP-A")
    src = tmp_path / "batch.csv"
    src.write_text(CSV_TEXT, encoding="utf-8")
    done = run("import", str(src), "--no-followups")
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["records"], summary["imported"], summary["rejected"]) == (13, 4, 9)
    assert summary["triggers_created"] == 1
    assert json.loads((tmp_path / "batch.summary.json").read_text()) == summary
    with open(tmp_path / "batch.rejects.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["line", "field", "reason", "external_id", "operator", "region", "issue",
                       "received_at", "channel", "summary"]  # fmt: skip
    assert len(rows) - 1 == len(WANT_REJECTS)
    for row, (line, field, reason) in zip(rows[1:], WANT_REJECTS, strict=True):
        assert (row[0], row[1]) == (line, field)
        assert reason in row[2]
    assert rows[9][3:] == ["R12", "OP-A", "320100", "billing", "yesterday", "hotline",
                           "bad date after a two-line record"]  # fmt: skip
    for line in ("line 3 [operator]", "line 15 [received_at]"):
        assert line in done.stderr
    # R1 (03-01), R10 (03-02 in Shanghai) and R9 (03-05, 南京市 = 320100, 计费 = billing).
    assert await export_triggers() == [
        {"operator": "OP-A", "region": "320100", "issue": "billing", "fired_on": "2026-03-05",
         "complaints": ["R1", "R10", "R9"]}
    ]  # fmt: skip


async def test_flags_admit_unknowns_and_reimport_is_idempotent(db: str, tmp_path: Path) -> None:
    await operators("OP-A")
    src = tmp_path / "batch.csv"
    src.write_text(CSV_TEXT, encoding="utf-8")
    run("import", str(src), "--no-followups")
    flags = ["--create-operators", "--allow-unknown-regions", "--allow-unknown-issues"]
    done = run("import", str(src), "--no-followups", *flags)
    summary = json.loads(done.stdout)
    # R3 (OP-Z created), R5 (free-text region) and R7 (unmapped issue) now import; the 4 good
    # rows are already present; missing operator, bad dates, short row, duplicate, province stay.
    assert (summary["imported"], summary["already_present"], summary["rejected"]) == (3, 4, 6)
    assert summary["operators_created"] == ["OP-Z"]
    again = json.loads(run("import", str(src), "--no-followups", *flags).stdout)
    assert (again["imported"], again["already_present"]) == (0, 7)
    listed = run("triggers", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == await export_triggers()


async def test_missing_header_column_is_a_file_error(db: str, tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("external_id,operator,region\nX,OP-A,320100\n", encoding="utf-8")
    done = run("import", str(src))
    assert done.returncode == 2
    assert "header lacks column(s) 'issue', 'summary', 'received_at', 'channel'" in done.stderr


async def test_followups_can_be_drafted_after_a_bulk_import(db: str, tmp_path: Path) -> None:
    from audit.context import SYSTEM
    from audit.domain.complaints.services import list_triggers

    await operators("OP-A")
    src = tmp_path / "batch.csv"
    src.write_text(CSV_TEXT, encoding="utf-8")
    run("import", str(src), "--no-followups")
    (t,) = await list_triggers(SYSTEM)
    assert (t["order_ref"], t["plan_ref"], t["followup_note"]) == (None, None, "")
    done = run("followups")
    assert done.returncode == 0, done.stderr
    assert "follow-ups drafted for 1 trigger(s)" in done.stdout
    (t,) = await list_triggers(SYSTEM)
    assert t["order_ref"] or t["followup_note"]  # drafted, or the reason it could not be
    assert "follow-ups drafted for 0 trigger(s)" in run("followups").stdout
