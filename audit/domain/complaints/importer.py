"""Importing complaints in bulk: validate every row, insert set-based, evaluate affected keys.

Nothing is silently dropped: a record is imported, already present (same source and external
id, same content — re-importing a file adds nothing), or rejected with its line and reason; a
record whose (source, external id) is stored with *different* content is a conflict (a reject
saying which fields differ), never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.complaints.csvparse import ParsedRow, RowError
from audit.domain.complaints.fingerprint import Deduper, contact_hash, contact_key, summary_hash
from audit.domain.complaints.reconcile import (
    KeyInfo,
    Outcome,
    audit_created,
    new_key_trigger_rows,
    reconcile,
)
from audit.domain.complaints.resolve import Resolver, Unresolved
from audit.domain.complaints.rules import RuleSet, default_rules
from audit.domain.complaints.store import (
    COMPLAINT_COLUMNS,
    KEY_COLUMNS,
    TRIGGER_COLUMNS,
    writing,
)
from audit.domain.complaints.trigger import Point

LIMITS = {"external_id": 100, "operator": 200, "region": 200, "issue": 100, "channel": 100,
          "summary": 2000, "text": 20000}  # fmt: skip
# What a re-imported record is compared on (the stored columns of the same names).
COMPARED = ("operator", "region", "issue", "received_on", "received_at", "channel", "summary",
            "text")  # fmt: skip


@dataclass
class ImportOptions:
    source: str = "default"
    create_operators: bool = False
    allow_unknown_regions: bool = False
    allow_unknown_issues: bool = False


@dataclass
class ImportReport:
    source: str
    records: int = 0
    imported: int = 0
    already_present: int = 0
    conflicts: int = 0  # also in ``rejected`` (reason "conflict: …")
    rejected: list[RowError] = field(default_factory=list)
    operators_created: list[str] = field(default_factory=list)
    keys_created: int = 0
    duplicates: int = 0  # flagged as cross-source duplicates (counted once by the trigger)
    triggers: Outcome = field(default_factory=Outcome)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "records": self.records,
            "imported": self.imported,
            "already_present": self.already_present,
            "conflicts": self.conflicts,
            "rejected": len(self.rejected),
            "operators_created": self.operators_created,
            "keys_created": self.keys_created,
            "duplicates_flagged": self.duplicates,
            "triggers_created": len(self.triggers.created),
            "triggers_escalated": len(self.triggers.updated),
            "triggers_superseded": len(self.triggers.superseded),
            "triggers_withdrawn": len(self.triggers.deleted),
        }


class _Clock:
    """Phase timings kept on the report (the bench prints them)."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into
        self.t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.into[name] = round(now - self.t, 3)
        self.t = now


def classified_by(classified: bool, matched: tuple[str, ...]) -> str:
    """What the classifier did, stored with the complaint (empty when the source gave the issue)."""
    if not classified:
        return ""
    if matched:
        return ("keywords: " + ", ".join(matched))[:300]
    return "no keyword matched: fallback category"


async def _create_operators(names: Iterable[str], resolver: Resolver, actor: Actor) -> list[str]:
    from audit.domain.operators.schemas import OperatorIn
    from audit.domain.operators.services import create_operator

    created = []
    for name in sorted(set(names)):
        op = await create_operator(OperatorIn(name=name), actor)  # audit-logged there
        resolver.add_operator(name, op["id"])
        created.append(name)
    return created


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic GC while millions of tuples are built: it would traverse every live
    row on each collection (none of these objects form cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def import_records(
    records: Iterable[ParsedRow | RowError],
    options: ImportOptions,
    actor: Actor,
    rules: RuleSet | None = None,
) -> ImportReport:
    """Import parsed records; returns what happened to each (rejects carry line and reason)."""
    with bulk_allocation():
        return await _import(records, options, actor, rules)


async def _import(
    records: Iterable[ParsedRow | RowError],
    options: ImportOptions,
    actor: Actor,
    rules: RuleSet | None,
) -> ImportReport:
    report = ImportReport(options.source)
    rules = rules or default_rules()
    clock = _Clock(report.timings)
    resolver = await Resolver.load()
    if options.create_operators:
        # Operators are created (and logged) before the import transaction opens.
        records = list(records)
        unknown = {
            r.operator
            for r in records
            if isinstance(r, ParsedRow)
            and len(r.operator) <= LIMITS["operator"]
            and resolver.operator(r.operator) is None
        }
        report.operators_created = await _create_operators(unknown, resolver, actor)
    source = options.source
    async with writing() as store:
        present: set[str] = set()
        if await store.fetch("SELECT 1 FROM complaint WHERE source = $1 LIMIT 1", source):
            rows = await store.fetch("SELECT external_id FROM complaint WHERE source = $1", source)
            present = {r[0] for r in rows}
        keymap = await store.keys_of(resolver.operator_ids())
        old_keys = set(keymap.values())
        state = _State(
            next_cid=await store.reserve_ids("complaint", 1),
            next_kid=await store.reserve_ids("trigger_key", 1),
            old_keys=old_keys,
        )
        first_cid = state.next_cid
        clock.lap("prepare")
        # Parsing, checking and COPY are one stream: PostgreSQL ingests a buffer while Python
        # parses the next one (two processes, two cores). Complaint rows carry no per-row
        # foreign-key check, so their keys can follow once the stream is done.
        stream = _stream(records, options, resolver, keymap, present, state, report)
        await store.insert_many("complaint", COMPLAINT_COLUMNS, stream)
        await store.set_next_id("complaint", state.next_cid)
        await store.set_next_id("trigger_key", state.next_kid)
        if state.again:
            await _compare_reimported(store, source, state.again, report)
        if state.deferred:
            await _flag_old_key_duplicates(store, state.deferred, first_cid, report)
        report.rejected.sort(key=lambda e: e.line)
        clock.lap("stream")
        await store.insert_many("trigger_key", KEY_COLUMNS, state.new_keys)
        report.keys_created = len(state.new_keys)
        clock.lap("keys")
        # Keys new with this import: evaluated from memory and their triggers streamed into one
        # COPY (PostgreSQL writes a buffer while Python evaluates the next keys).
        new_infos = {k: v for k, v in state.infos.items() if k not in old_keys}
        created: list[tuple[Any, ...]] = []
        first_tid = await store.reserve_ids("complaint_trigger", 1)
        trigger_rows = new_key_trigger_rows(new_infos, state.points, rules, first_tid, created)
        await store.insert_many("complaint_trigger", TRIGGER_COLUMNS, trigger_rows)
        await store.set_next_id("complaint_trigger", first_tid + len(created))
        await audit_created(actor, created)
        clock.lap("new_key_triggers")
        # Keys that had complaints before: judged on everything stored (back-dated arrivals).
        old_infos = {k: v for k, v in state.infos.items() if k in old_keys}
        points = await store.key_points(list(old_infos)) if old_infos else {}
        live = await store.live_triggers(list(old_infos)) if old_infos else {}
        report.triggers = await reconcile(store, old_infos, points, live, rules, actor)
        report.triggers.created[:0] = [c[0] for c in created]
        clock.lap("triggers")
        await record(actor, "complaints.import", "complaint_import", source, None, report.summary())
    return report


@dataclass
class _State:
    next_cid: int
    next_kid: int
    points: dict[int, list[Point]] = field(default_factory=dict)
    infos: dict[int, KeyInfo] = field(default_factory=dict)
    new_keys: list[tuple[Any, ...]] = field(default_factory=list)
    old_keys: set[int] = field(default_factory=set)
    # records whose external id is stored already: external id → (line, compared values)
    again: dict[str, tuple[int, tuple[Any, ...]]] = field(default_factory=dict)
    # fingerprinted rows of keys that had complaints before: judged against the stored ones
    # once the stream is done (the connection is busy with the COPY until then)
    deferred: list[tuple[int, int, dt.date, str, str]] = field(default_factory=list)
    dedupe: Deduper = field(default_factory=Deduper)  # rows of keys new with this import


def _stream(
    records: Iterable[ParsedRow | RowError],
    options: ImportOptions,
    resolver: Resolver,
    keymap: dict[tuple[int, str, str], int],
    present: set[str],
    state: _State,
    report: ImportReport,
) -> Iterator[tuple[Any, ...]]:
    """Complaint rows to insert; rejects, keys and points are collected on the way."""
    # Per-import memo (operator, region, issue) as given → (operator id, region key, resolved,
    # key id), or (None, field, reason): a million rows share a few thousand combinations.
    combo: dict[tuple[str, str, str], tuple[Any, Any, Any, Any]] = {}
    allow_regions = options.allow_unknown_regions
    rejected = report.rejected
    points, infos, new_keys = state.points, state.infos, state.new_keys
    cid, kid = state.next_cid, state.next_kid
    source = options.source
    total = imported = 0
    again = state.again
    old_keys, deferred, dedupe = state.old_keys, state.deferred, state.dedupe
    hash_key = contact_key()
    s_memo: dict[str, str] = {}
    try:
        for r in records:
            total += 1
            if isinstance(r, RowError):
                rejected.append(r)
                continue
            ext = r.external_id
            if (
                len(ext) > LIMITS["external_id"]
                or len(r.channel) > LIMITS["channel"]
                or len(r.summary) > LIMITS["summary"]
                or len(r.text) > LIMITS["text"]
            ):
                field_ = next(
                    f for f, v in (("external_id", ext), ("channel", r.channel),
                                   ("summary", r.summary), ("text", r.text))
                    if len(v) > LIMITS[f]
                )  # fmt: skip
                reason = f"{field_} is longer than {LIMITS[field_]} characters"
                rejected.append(RowError(r.line, field_, reason, ()))
                continue
            ck = (r.operator, r.region, r.issue)
            hit = combo.get(ck)
            if hit is None:
                hit = combo[ck] = _resolve_key(r, resolver, allow_regions, keymap, kid)
                if hit[0] is not None and hit[3] == kid:  # a key new with this import
                    new_keys.append((kid, hit[0], r.operator, hit[1], r.region, hit[2], r.issue,
                                     r.issue_mapped))  # fmt: skip
                    kid += 1
            op, region_key, resolved, key_id = hit
            if op is None:
                rejected.append(RowError(r.line, region_key, resolved, ()))
                continue
            if present and ext in present:
                # judged after the stream, against the stored row (same content or conflict)
                again[ext] = (r.line, (op, region_key, r.issue, r.received_on,
                                       _utc(r.received_at), r.channel, r.summary, r.text))  # fmt: skip
                continue
            s_hash = s_memo.get(r.summary)
            if s_hash is None:
                s_hash = summary_hash(r.summary) if r.summary else ""
                if len(s_memo) < 50_000:  # repeated summaries (a mapping's constant) hit it
                    s_memo[r.summary] = s_hash
            c_hash = contact_hash(r.contact, hash_key) if r.contact else ""
            dup = None
            if s_hash or c_hash:
                if key_id in old_keys:
                    deferred.append((cid, key_id, r.received_on, s_hash, c_hash))
                else:
                    dup = dedupe.check(cid, key_id, r.received_on, s_hash, c_hash)
            pts = points.get(key_id)
            if pts is None:
                pts = points[key_id] = []
                infos[key_id] = KeyInfo(op, r.issue)
            if dup is None:
                pts.append(Point(r.received_on, ext, cid))
            else:
                report.duplicates += 1
            yield (cid, source, ext, key_id, op, region_key, resolved, r.issue, r.issue_mapped,
                   r.classified, classified_by(r.classified, r.matched) if r.classified else "",
                   r.received_at, r.received_on, r.channel, r.summary, r.text, s_hash, c_hash,
                   dup, "pending" if dup is not None else "")  # fmt: skip
            cid += 1
            imported += 1
    finally:
        state.next_cid, state.next_kid = cid, kid
        report.records += total
        report.imported += imported


async def _flag_old_key_duplicates(
    store: Any,
    rows: list[tuple[int, int, dt.date, str, str]],
    first_cid: int,
    report: ImportReport,
) -> None:
    """This file's rows of keys that had complaints before, judged against the stored
    originals first and then each other, in id order (the rule of fingerprint.Deduper)."""
    dedupe = Deduper()
    for o in await store.originals(sorted({r[1] for r in rows}), first_cid):
        dedupe.original(*o)
    flagged = []
    for row in rows:
        dup = dedupe.check(*row)
        if dup is not None:
            flagged.append((dup, row[0]))
    if flagged:
        await store.flag_duplicates(flagged)
        report.duplicates += len(flagged)


def _utc(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # SQLite gives the stored text
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


async def _compare_reimported(
    store: Any, source: str, again: dict[str, tuple[int, tuple[Any, ...]]], report: ImportReport
) -> None:
    """Records of this file that are stored already: the same content is ``already_present``;
    different content is a conflict, rejected with the fields that differ (the stored
    complaint is kept: a complaint's history must not change under a later file)."""
    cols = ", ".join(f'"{c}"' for c in COMPARED)
    ids = list(again)
    stored: dict[str, tuple[Any, ...]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        if store.pg:
            rows = await store.fetch(
                f"SELECT external_id, {cols} FROM complaint"
                " WHERE source = $1 AND external_id = ANY($2)",
                source,
                chunk,
            )
        else:
            marks = ", ".join("?" for _ in chunk)
            rows = await store.fetch(
                f"SELECT external_id, {cols} FROM complaint"
                f" WHERE source = ? AND external_id IN ({marks})",
                source,
                *chunk,
            )
        for ext, op, region, issue, on, at, channel, summary, text in rows:
            stored[ext] = (op, region, issue, _day(on), _utc(at), channel, summary, text)
    for ext, (line, given) in again.items():
        have = stored.get(ext)
        if have is None or have == given:
            report.already_present += 1
            continue
        differ = [name for name, a, b in zip(COMPARED, given, have, strict=True) if a != b]
        report.conflicts += 1
        report.rejected.append(
            RowError(
                line,
                "external_id",
                f"conflict: {source}/{ext} is stored with a different {', '.join(differ)};"
                " the stored complaint is kept (correct it, or import under another source)",
                (),
            )
        )


def _resolve_key(
    r: ParsedRow,
    resolver: Resolver,
    allow_regions: bool,
    keymap: dict[tuple[int, str, str], int],
    next_kid: int,
) -> tuple[Any, Any, Any, Any]:
    """(operator id, region key, resolved, key id) — key id ``next_kid`` when the key is new —
    or (None, field, reason, None) when the row must be rejected."""
    for name in ("operator", "region", "issue"):
        if len(getattr(r, name)) > LIMITS[name]:
            return None, name, f"{name} is longer than {LIMITS[name]} characters", None
    op = resolver.operator(r.operator)
    if op is None:
        return None, "operator", f"unknown operator {r.operator!r} (or create operators)", None
    try:
        rk = resolver.region(r.region, allow_regions)
    except Unresolved as exc:
        return None, exc.field, str(exc), None
    key_id = keymap.get((op, rk.key, r.issue))
    if key_id is None:
        key_id = keymap[(op, rk.key, r.issue)] = next_kid
    return op, rk.key, rk.resolved, key_id
