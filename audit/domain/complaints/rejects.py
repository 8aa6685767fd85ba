"""The rejects file: every rejected record as it was in the input, with line, field and reason."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from audit.domain.complaints.csvparse import RowError
from audit.domain.complaints.mapping import Mapping


def output_paths(csv_path: Path, out_dir: Path | None = None) -> tuple[Path, Path]:
    """(rejects CSV, summary JSON) beside the input file unless ``out_dir`` is given."""
    base = (out_dir or csv_path.parent) / csv_path.stem
    return base.with_name(base.name + ".rejects.csv"), base.with_name(base.name + ".summary.json")


def write_rejects(
    csv_path: Path, mapping: Mapping, rejected: list[RowError], out_path: Path
) -> int:
    """Copy the rejected records from the input (re-read, so they are exactly as given)."""
    by_line = {e.line: e for e in rejected}
    written = 0
    with (
        open(csv_path, encoding=mapping.encoding, newline="") as src,
        open(out_path, "w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.reader(src, delimiter=mapping.delimiter)
        writer = csv.writer(dst)
        header = next(reader, [])
        writer.writerow(["line", "field", "reason", *header])
        line = 1
        for rec in reader:
            start = line + 1
            line = reader.line_num
            err = by_line.get(start)
            if err is not None:
                writer.writerow([err.line, err.field or "", err.reason, *rec])
                written += 1
    return written


def write_summary(summary: dict[str, Any], out_path: Path) -> None:
    out_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
