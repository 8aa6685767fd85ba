"""Pure CSV parsing: rows → canonical complaints, every bad row reported with line and reason.

Registry checks (operator, region) belong to the import service; everything that can be judged
from the file alone is judged here: layout, missing fields, dates, issue categories, duplicates.

Every record ends up as a row or a :class:`RowError` with the line it starts on — nothing is
lost in between (:class:`RecordReader`): a line that is not valid text in the file's encoding
rejects only its record; an unterminated quote rejects its own line and the lines it swallowed
are read again as records of their own; a field over the size limit rejects its record.
"""

from __future__ import annotations

import codecs
import csv
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

from audit.domain.complaints.dates import DEFAULT_ZONE, LocalDater, parse_received, zone
from audit.domain.complaints.fingerprint import BadContact, normalise_contact
from audit.domain.complaints.mapping import FIELDS, FieldSpec, Mapping
from audit.domain.complaints.taxonomy import (
    Classifier,
    Taxonomy,
    default_classifier,
    default_taxonomy,
)

# Real complaint texts can be long; a field over 1 MiB rejects its record (not the file).
MAX_FIELD = 1 << 20
csv.field_size_limit(MAX_FIELD)


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
    contact: str = ""  # normalised (E.164 phone or lower-case e-mail), "" when not given


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


class _Undecodable(str):
    """A physical line that was not valid text in the file's encoding (shown with U+FFFD)."""

    __slots__ = ()


class RecordReader:
    """CSV records with the physical line each starts on, from text or bytes lines.

    Yields ``(line, fields, None)`` or ``(line, None, reason)``; blank lines are skipped. The
    physical lines of a record are kept until it is judged, so that a record that runs over
    several lines and still has the wrong number of fields (an unterminated quote) rejects
    only its first line and the others are read again. ``width`` is the expected number of
    fields (set it once the header is read; 0 = any).
    """

    def __init__(self, lines: Iterable[str] | Iterable[bytes], encoding: str, delimiter: str):
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise CsvLayoutError(f"unknown encoding {encoding!r}") from None
        if name.startswith(("utf-16", "utf-32")):
            raise CsvLayoutError(f"encoding {encoding} is not supported: use UTF-8 or GB18030")
        self.encoding = encoding
        self.delimiter = delimiter
        self.width = 0
        self._lines: Iterator[Any] = iter(lines)
        self.raw = ""  # the first physical line of the last rejected record
        self._buf: list[str] = []
        self._pending: deque[str] = deque()
        self._flags = [0, 0]  # undecodable lines, lines with NUL — in the current record

    def _physical(self) -> Iterator[str]:
        buf, pending, flags = self._buf, self._pending, self._flags
        encoding = self.encoding
        for item in self._lines:
            while pending:
                again = pending.popleft()
                if type(again) is _Undecodable:
                    flags[0] += 1
                if "\x00" in again:
                    flags[1] += 1
                buf.append(again)
                yield again
            if isinstance(item, bytes):
                try:
                    line = item.decode(encoding)
                except UnicodeDecodeError:
                    line = _Undecodable(item.decode(encoding, "replace"))
                    flags[0] += 1
            else:
                line = item
            if "\x00" in line:
                flags[1] += 1
            buf.append(line)
            yield line
        while pending:  # lines given back after the input ran out
            again = pending.popleft()
            flags[0] += type(again) is _Undecodable
            flags[1] += "\x00" in again
            buf.append(again)
            yield again

    def _swallowed(self, lines: list[str]) -> bool:
        """Whether a record over several lines swallowed whole records: a quote left open
        runs on until the next quote (or the end), and the field count can still come out
        right. A continuation line that is a complete record by itself gives it away (a
        legitimate multi-line text would need exactly width-1 separators on one line)."""
        for ln in lines[1:]:
            fields = next(csv.reader([ln], delimiter=self.delimiter), [])
            if len(fields) == self.width:
                return True
        return False

    def __iter__(self) -> Iterator[tuple[int, list[str] | None, str | None]]:
        buf, pending, flags = self._buf, self._pending, self._flags
        reader = csv.reader(self._physical(), delimiter=self.delimiter)
        line = 0  # physical lines judged so far
        while True:
            try:
                rec: list[str] | None = next(reader)
                problem = None
            except StopIteration:
                return
            except csv.Error as exc:
                rec, problem = None, f"unreadable record: {exc}"
                if "field larger than field limit" in str(exc):
                    problem = f"a field is larger than {MAX_FIELD // (1 << 20)} MiB"
            start, used = line + 1, len(buf)
            bad, nul = flags
            flags[0] = flags[1] = 0
            if rec is not None:
                if bad:
                    problem = f"not valid {self.encoding} text"
                elif nul:
                    problem = "NUL character in the record"
                elif not rec or rec == [""]:
                    line += used  # a blank line is not a record
                    buf.clear()
                    continue
                elif (not self.width or len(rec) == self.width) and (
                    used == 1 or not self._swallowed(buf)
                ):
                    line += used
                    buf.clear()
                    yield start, rec, None
                    continue
                elif used > 1:
                    problem = (
                        "unterminated quoted field (a quote opened on this line does not close);"
                        " the lines after it are read again as records of their own"
                    )
                else:
                    problem = f"expected {self.width} fields, got {len(rec)}"
            self.raw = buf[0] if buf else ""
            if used > 1 and (rec is None or (problem or "").startswith("unterminated")):
                # Only the first line is rejected; what the record swallowed is read again.
                pending.extend(buf[1:])
                reader = csv.reader(self._physical(), delimiter=self.delimiter)
                used = 1
            line += used
            buf.clear()
            yield start, None, problem


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
    lines: Iterable[str] | Iterable[bytes],
    mapping: Mapping,
    options: ParseOptions | None = None,
) -> Iterator[ParsedRow | RowError]:
    """Parse CSV lines (header first) and yield a row or an error per record, in order.

    ``lines``: text lines, or the byte lines of a file opened in binary mode (decoded one by
    one with ``mapping.encoding``, so one badly encoded line rejects only its record).
    """
    opts = options or ParseOptions()
    taxonomy = opts.taxonomy or default_taxonomy()
    classifier = opts.classifier or default_classifier()
    tz: tzinfo = zone(opts.timezone)
    records = RecordReader(lines, mapping.encoding, mapping.delimiter)
    reader = iter(records)
    head = next(reader, None)
    if head is None:
        raise CsvLayoutError("the file is empty (no header row)")
    if head[1] is None:
        raise CsvLayoutError(f"the header (line {head[0]}) cannot be read: {head[2]}")
    header = [h.strip() for h in head[1]]
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        if h and h in index:
            raise CsvLayoutError(
                f"the header names column {h!r} twice (columns {index[h] + 1} and {i + 1})"
            )
        index[h] = i
    missing = [c for c in mapping.referenced_columns() if c not in index]
    if missing:
        raise CsvLayoutError(
            f"header lacks column(s) {', '.join(repr(c) for c in missing)} "
            f"required by mapping {mapping.name!r}; header is {header}"
        )
    fields = {
        name: _Field(spec, index)
        for name, spec in mapping.fields.items()
        if not (spec.optional and any(c not in index for c in spec.source_columns()))
    }
    rt_spec = mapping.fields["received_at"]
    formats = tuple(rt_spec.formats)
    source_tz = zone(rt_spec.timezone) if rt_spec.timezone else None
    dater = LocalDater(tz, source_tz)
    records.width = len(header)
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
    contact_f = fields.get("contact")
    resolve = taxonomy.resolve
    issues: dict[str, str | None] = {}  # memo: few distinct values, many rows
    for start, rec, problem in reader:
        if rec is None:
            yield RowError(start, None, problem or "malformed record", (records.raw,))
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
            contact = ""
            if contact_f is not None:
                try:
                    contact = normalise_contact(contact_f.get(rec))
                except BadContact as exc:
                    yield RowError(start, "contact", str(exc), tuple(rec))
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
                contact,
            )


__all__ = [
    "FIELDS",
    "MAX_FIELD",
    "CsvLayoutError",
    "ParseOptions",
    "ParsedRow",
    "RecordReader",
    "RowError",
    "parse_rows",
]
