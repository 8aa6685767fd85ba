"""Pure CSV parsing: canonical layout, mappings, every bad row with its line and reason."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from audit.domain.complaints.csvparse import (
    CsvLayoutError,
    ParsedRow,
    ParseOptions,
    RowError,
    parse_rows,
)
from audit.domain.complaints.mapping import MAPPINGS_DIR, canonical_mapping, load_mapping
from audit.domain.complaints.taxonomy import DataFileError
from tests.datasets import DATASETS

HEADER = "external_id,operator,region,issue,received_at,channel,summary\n"
COMCAST = DATASETS / "comcast_telecom_complaints_2015.csv"


def parse(text: str, **opts: object) -> list[ParsedRow | RowError]:
    return list(parse_rows(io.StringIO(text), canonical_mapping(), ParseOptions(**opts)))


def test_good_rows_dates_and_zone() -> None:
    out = parse(
        HEADER
        + "A,OP,320100,billing,2026-03-01,hotline,x\n"
        + "B,OP,320100,计费,2026-03-01T17:30:00Z,web,y\n"  # 01:30 on 2 March in Shanghai
        + "C,OP,320100,billing,2026-03-01T23:30:00,web,z\n"  # no offset: Shanghai local time
        + "D,OP,320100,billing,2026-03-01 23:30:00-05:00,web,z\n"  # 12:30 on 2 March
    )
    assert all(isinstance(r, ParsedRow) for r in out)
    rows = [r for r in out if isinstance(r, ParsedRow)]
    assert [r.received_on for r in rows] == [date(2026, 3, d) for d in (1, 2, 1, 2)]
    assert rows[0].received_at is None  # a bare date stays a date
    assert rows[1].issue == "billing" and rows[1].issue_mapped and not rows[1].classified
    assert [r.line for r in rows] == [2, 3, 4, 5]


def test_blank_issue_is_classified_and_recorded() -> None:
    (row,) = parse(HEADER + "A,OP,320100,,2026-03-01,hotline,客服热线打不通\n")
    assert isinstance(row, ParsedRow)
    assert (row.issue, row.classified) == ("hotline", True)
    assert "打不通" in row.matched


def test_bad_rows_have_line_field_reason_and_good_rows_stay() -> None:
    out = parse(
        HEADER
        + "A,OP,320100,billing,2026-03-01,h,ok\n"
        + ",OP,320100,billing,2026-03-01,h,no id\n"
        + "C,OP,320100,billing,01/03/2026,h,bad date\n"
        + 'D,OP,320100,billing,2026-03-01,h,"multi\nline"\n'
        + "E,OP,320100,billing,2026-02-29,h,not a leap year\n"
        + "F,OP,320100,weather,2026-03-01,h,unknown issue\n"
        + "A,OP,320100,billing,2026-03-02,h,dup\n"
        + "G,OP\n"
        + "\n"
        + "H,OP,320100,billing,2026-03-01,h,ok after a blank line\n"
    )
    errors = [(e.line, e.field) for e in out if isinstance(e, RowError)]
    assert errors == [
        (3, "external_id"), (4, "received_at"), (7, "received_at"), (8, "issue"),
        (9, "external_id"), (10, None),
    ]  # fmt: skip
    good = [(r.external_id, r.line) for r in out if isinstance(r, ParsedRow)]
    assert good == [("A", 2), ("D", 5), ("H", 12)]
    reasons = {e.line: e.reason for e in out if isinstance(e, RowError)}
    assert reasons[9] == "duplicate external_id 'A' (first on line 2)"
    assert reasons[10] == "expected 7 fields, got 2"
    assert "'01/03/2026' is not an ISO date" in reasons[4]


def test_unknown_issue_allowed_is_kept_unmapped() -> None:
    (row,) = parse(HEADER + "F,OP,320100,Weather,2026-03-01,h,x\n", allow_unknown_issues=True)
    assert isinstance(row, ParsedRow)
    assert (row.issue, row.issue_mapped) == ("Weather", False)


def test_missing_columns_is_a_layout_error() -> None:
    with pytest.raises(CsvLayoutError, match="header lacks column"):
        parse("external_id,operator\nA,OP\n")
    with pytest.raises(CsvLayoutError, match="empty"):
        parse("")


def test_comcast_mapping_parses_every_row() -> None:
    m = load_mapping(MAPPINGS_DIR / "comcast.yaml")
    with open(COMCAST, encoding=m.encoding, newline="") as fh:
        out = list(parse_rows(fh, m))
    assert len(out) == 2224 and all(isinstance(r, ParsedRow) for r in out)
    rows = [r for r in out if isinstance(r, ParsedRow)]
    first = rows[0]
    assert (first.external_id, first.operator, first.region) == (
        "250635", "Comcast", "Abingdon, Maryland",
    )  # fmt: skip
    assert first.received_on == date(2015, 4, 22)  # "22-04-15" is dd-mm-yy
    assert first.issue == "network" and first.classified
    assert all(r.classified for r in rows)
    counts = Counter(r.issue for r in rows)
    assert counts["billing"] > counts["other"] > 0


def test_mapping_validation_names_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("name: x\nfields:\n  external_id: {column: a}\n")
    with pytest.raises(DataFileError, match="fields missing: operator, region, issue"):
        load_mapping(bad)
    bad.write_text(
        "name: x\nfields:\n  external_id: {column: a, value: b}\n  operator: {value: o}\n"
        "  region: {column: r}\n  issue: {column: i}\n  received_at: {column: d}\n"
    )
    with pytest.raises(DataFileError, match="only one of column, columns, value"):
        load_mapping(bad)
