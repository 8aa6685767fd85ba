"""Pure CSV parsing: rows → canonical complaints, every bad row reported with line and reason.

Registry checks (operator, region) belong to the import service; everything that can be judged
from the file alone is judged here: layout, missing fields, dates, issue categories, duplicates.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import NamedTuple

from audit.domain.complaints.dates import DEFAULT_ZONE, LocalDater, parse_received, zone
from audit.domain.complaints.mapping import FIELDS, FieldSpec, Mapping
from audit.domain.complaints.taxonomy import (
    Classifier,
    Taxonomy,
    default_classifier,
    default_taxonomy,
)

# Real complaint texts can be long; csv's default limit (128 KiB) is kept as a sanity bound.
csv.field_size_limit(1 << 20)


class ParsedRow(NamedTuple):
    line: int  # physical line where the record starts (header = line 1)
    external_id: str
    operator: str  # as given
    region: str  # as given (code or name; composed fields already joined)
    issue: str  # taxonomy code, or the value as given when not mapped
    issue_mapped: bool
    classified: bool  # the issue came from the keyword classifier
    matched: tuple[str, ...]  # keywords the classifier found
    received_at: datetime | None  # aware; None when the source gave a date only
    received_on: date  # calendar date in the regulator's zone
    channel: str
    summary: str
    text: str


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str | None
    reason: str
    record: tuple[str, ...]  # the raw fields, written to the rejects file

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        return f"line {self.line}{where}: {self.reason}"


class CsvLayoutError(ValueError):
    """The file as a whole cannot be read with this mapping (e.g. missing header columns)."""


@dataclass
class ParseOptions:
    timezone: str = DEFAULT_ZONE
    allow_unknown_issues: bool = False
    taxonomy: Taxonomy | None = None
    classifier: Classifier | None = None


class _Field:
    """A compiled FieldSpec: indexes into the record instead of names."""

    __slots__ = ("classify", "indexes", "join", "value")

    def __init__(self, spec: FieldSpec, index: dict[str, int]) -> None:
        cols = [spec.column] if spec.column else list(spec.columns or [])
        self.indexes = [index[c] for c in cols]
        self.join = spec.join
        self.value = spec.value
        self.classify = [index[c] for c in spec.classify] if spec.classify else None

    def get(self, rec: list[str]) -> str:
        if self.value is not None:
            return self.value
        if len(self.indexes) == 1:
            return rec[self.indexes[0]].strip()
        parts = [rec[i].strip() for i in self.indexes]
        return self.join.join(p for p in parts if p)


def _nothing(rec: list[str]) -> str:
    return ""


def _access(f: _Field | None) -> tuple[Callable[[list[str]], str], int]:
    """(getter, column index): index ≥ 0 when the field is one column read as is."""
    if f is None:
        return _nothing, -1
    if f.value is None and len(f.indexes) == 1:
        return f.get, f.indexes[0]
    if f.value is None and not f.indexes:
        return _nothing, -1  # issue given only by classification
    return f.get, -1


def parse_rows(
    lines: Iterable[str],
    mapping: Mapping,
    options: ParseOptions | None = None,
) -> Iterator[ParsedRow | RowError]:
    """Parse CSV text lines (header first) and yield a row or an error per record, in order."""
    opts = options or ParseOptions()
    taxonomy = opts.taxonomy or default_taxonomy()
    classifier = opts.classifier or default_classifier()
    tz: tzinfo = zone(opts.timezone)
    reader = csv.reader(lines, delimiter=mapping.delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CsvLayoutError("the file is empty (no header row)") from None
    index = {h: i for i, h in enumerate(header)}
    missing = [c for c in mapping.referenced_columns() if c not in index]
    if missing:
        raise CsvLayoutError(
            f"header lacks column(s) {', '.join(repr(c) for c in missing)} "
            f"required by mapping {mapping.name!r}; header is {header}"
        )
    fields = {name: _Field(spec, index) for name, spec in mapping.fields.items()}
    rt_spec = mapping.fields["received_at"]
    formats = tuple(rt_spec.formats)
    source_tz = zone(rt_spec.timezone) if rt_spec.timezone else None
    dater = LocalDater(tz, source_tz)
    width = len(header)
    seen: dict[str, int] = {}
    get_ext, i_ext = _access(fields["external_id"])
    get_op, i_op = _access(fields["operator"])
    get_region, i_region = _access(fields["region"])
    get_at, i_at = _access(fields["received_at"])
    issue_f = fields["issue"]
    get_issue, i_issue = _access(issue_f)
    get_channel, i_channel = _access(fields.get("channel"))
    get_summary, i_summary = _access(fields.get("summary"))
    get_text, i_text = _access(fields.get("text"))
    resolve = taxonomy.resolve
    issues: dict[str, str | None] = {}  # memo: few distinct values, many rows
    line = 1
    for rec in reader:
        start = line + 1
        line = reader.line_num
        if len(rec) != width:
            if not rec or rec == [""]:
                continue  # a blank line is not a record
            yield RowError(start, None, f"expected {width} fields, got {len(rec)}", tuple(rec))
            continue
        # Single-column fields are read by index (a call per field costs more than the parse).
        ext = rec[i_ext].strip() if i_ext >= 0 else get_ext(rec)
        op = rec[i_op].strip() if i_op >= 0 else get_op(rec)
        region = rec[i_region].strip() if i_region >= 0 else get_region(rec)
        raw_at = rec[i_at].strip() if i_at >= 0 else get_at(rec)
        if not (ext and op and region and raw_at):
            name = next(
                n
                for n, v in (("external_id", ext), ("operator", op), ("region", region),
                             ("received_at", raw_at))
                if not v
            )  # fmt: skip
            yield RowError(start, name, f"{name} is missing", tuple(rec))
        else:
            try:
                if formats:
                    r = parse_received(raw_at, tz, formats, source_tz)
                    at, on = r.at, r.on
                else:
                    at, on = dater.parse(raw_at)
            except ValueError as exc:
                yield RowError(start, "received_at", str(exc), tuple(rec))
                continue
            summary = rec[i_summary].strip() if i_summary >= 0 else get_summary(rec)
            text = rec[i_text].strip() if i_text >= 0 else get_text(rec)
            given = rec[i_issue].strip() if i_issue >= 0 else get_issue(rec)
            matched: tuple[str, ...] = ()
            classified = False
            if given:
                code = issues.get(given, "?")
                if code == "?":
                    code = issues[given] = resolve(given)
            elif issue_f.classify is not None:
                source_text = " ".join(rec[i] for i in issue_f.classify)
                c = classifier.classify(source_text)
                code, matched, classified = c.category, c.matched, True
            else:
                yield RowError(start, "issue", "issue is missing", tuple(rec))
                continue
            if code is None and not opts.allow_unknown_issues:
                yield RowError(
                    start,
                    "issue",
                    f"issue {given!r} is not in the taxonomy "
                    "(known: " + ", ".join(taxonomy.codes) + "; or allow unknown issues)",
                    tuple(rec),
                )
                continue
            first = seen.get(ext)
            if first is not None:
                yield RowError(
                    start,
                    "external_id",
                    f"duplicate external_id {ext!r} (first on line {first})",
                    tuple(rec),
                )
                continue
            seen[ext] = start
            yield ParsedRow(
                start,
                ext,
                op,
                region,
                code or given,
                code is not None,
                classified,
                matched,
                at,
                on,
                rec[i_channel].strip() if i_channel >= 0 else get_channel(rec),
                summary,
                text,
            )


__all__ = [
    "FIELDS",
    "CsvLayoutError",
    "ParseOptions",
    "ParsedRow",
    "RowError",
    "parse_rows",
]
