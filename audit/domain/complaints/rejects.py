"""The rejects file: every rejected record as it was in the input, with line, field and reason."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from audit.domain.complaints.csvparse import RecordReader, RowError
from audit.domain.complaints.mapping import Mapping


def output_paths(csv_path: Path, out_dir: Path | None = None) -> tuple[Path, Path]:
    """(rejects CSV, summary JSON) beside the input file unless ``out_dir`` is given."""
    base = (out_dir or csv_path.parent) / csv_path.stem
    return base.with_name(base.name + ".rejects.csv"), base.with_name(base.name + ".summary.json")


def write_rejects(
    csv_path: Path, mapping: Mapping, rejected: list[RowError], out_path: Path
) -> int:
    """Copy the rejected records from the input (re-read with the importer's own record reader,
    so they are exactly as given; a record that could not be read is copied as its raw line)."""
    by_line = {e.line: e for e in rejected}
    written = 0
    with open(csv_path, "rb") as src, open(out_path, "w", encoding="utf-8", newline="") as dst:
        records = RecordReader(src, mapping.encoding, mapping.delimiter)
        writer = csv.writer(dst)
        reader = iter(records)
        first = next(reader, None)
        header = (first[1] or []) if first else []
        records.width = len(header)
        writer.writerow(["line", "field", "reason", *header])
        for line, rec, _ in reader:
            err = by_line.get(line)
            if err is not None:
                fields = rec if rec is not None else [records.raw.rstrip("\r\n")]
                writer.writerow([err.line, err.field or "", err.reason, *fields])
                written += 1
    return written


def write_summary(summary: dict[str, Any], out_path: Path) -> None:
    out_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
