"""Complaints: add one, import many (see importer.py), list and act on triggers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.complaints import followup
from audit.domain.complaints.csvparse import ParseOptions, parse_rows
from audit.domain.complaints.dates import parse_received, zone
from audit.domain.complaints.fingerprint import (
    BadContact,
    contact_hash,
    normalise_contact,
    summary_hash,
)
from audit.domain.complaints.importer import (
    LIMITS,
    ImportOptions,
    ImportReport,
    classified_by,
    import_records,
)
from audit.domain.complaints.mapping import Mapping, canonical_mapping, load_mapping
from audit.domain.complaints.reconcile import KeyInfo, reconcile
from audit.domain.complaints.resolve import Resolver, Unresolved
from audit.domain.complaints.rules import default_rules
from audit.domain.complaints.schemas import ComplaintIn
from audit.domain.complaints.store import COMPLAINT_COLUMNS, COUNTED, KEY_COLUMNS, writing
from audit.domain.complaints.tables import TRIGGER_STATUSES, Complaint, ComplaintKey
from audit.domain.complaints.taxonomy import default_classifier, default_taxonomy
from audit.errors import Conflict, DomainError, InvalidTransition, NotFound
from audit.settings import get_settings

# Who may move a trigger where (issue 7: new → order issued → plan created → closed).
TRANSITIONS = {
    "new": {"order_issued", "plan_created", "closed"},
    "order_issued": {"plan_created", "closed"},
    "plan_created": {"order_issued", "closed"},
    "closed": set(),
    "superseded": set(),
}


async def add_complaint(data: ComplaintIn, actor: Actor, followups: bool = True) -> dict[str, Any]:
    """Add one complaint and re-evaluate its key; returns the complaint and trigger changes.

    ``followups``: draft the order and plan of a new trigger right away (see followup.py).
    """
    tz = zone(get_settings().timezone)
    try:
        received = parse_received(data.received_at, tz)
    except ValueError as exc:
        raise DomainError(str(exc), field="received_at") from exc
    taxonomy = default_taxonomy()
    matched: tuple[str, ...] = ()
    if data.issue:
        issue = taxonomy.resolve(data.issue)
        mapped = issue is not None
        if issue is None and not data.allow_unknown_issue:
            known = ", ".join(taxonomy.codes)
            raise DomainError(f"issue {data.issue!r} is not in the taxonomy ({known})", "issue")
        issue = issue or data.issue.strip()
        classified = False
    else:
        c = default_classifier().classify(f"{data.summary} {data.text}")
        issue, mapped, classified, matched = c.category, True, True, c.matched
    try:
        contact = normalise_contact(data.contact)
    except BadContact as exc:
        raise DomainError(str(exc), field="contact") from exc
    s_hash = summary_hash(data.summary) if data.summary else ""
    c_hash = contact_hash(contact)
    async with writing() as store:
        # Read inside the transaction: one pooled connection for the whole add.
        ops = await store.fetch(
            'SELECT id, name, uscc FROM "operator" WHERE name = $1 OR uscc = $2',
            data.operator.strip(),
            data.operator.strip().upper(),
        )
        resolver = Resolver([{"id": o[0], "name": o[1], "uscc": o[2]} for o in ops])
        op = resolver.operator(data.operator)
        if op is None or (actor.is_operator and actor.operator_id != op):
            raise DomainError(f"unknown operator {data.operator!r}", field="operator")
        try:
            rk = resolver.region(data.region, data.allow_unknown_region)
        except Unresolved as exc:
            raise DomainError(str(exc), field="region") from exc
        # One round trip: the duplicate check and the key look-up.
        (dup, found), *_ = await store.fetch(
            "SELECT (SELECT id FROM complaint WHERE source = $1 AND external_id = $2),"
            " (SELECT id FROM trigger_key WHERE operator = $3 AND region_key = $4 AND issue = $5)",
            data.source,
            data.external_id,
            op,
            rk.key,
            issue,
        )
        if dup is not None:
            raise Conflict(
                f"complaint {data.source}/{data.external_id} exists (id {dup})",
                field="external_id",
            )
        dup_of = None
        if found is not None:
            key_id = found
            dup_of = await first_duplicated(store, key_id, received.on, s_hash, c_hash)
        else:
            key_id = await store.reserve_ids("trigger_key", 1)
            row = (key_id, op, data.operator.strip(), rk.key, data.region.strip(), rk.resolved,
                   issue, mapped)  # fmt: skip
            await store.insert_many("trigger_key", KEY_COLUMNS, [row])
        by = classified_by(classified, matched)
        fields = (data.source, data.external_id, key_id, op, rk.key, rk.resolved, issue, mapped,
                  classified, by, received.at, received.on, data.channel, data.summary, data.text,
                  s_hash, c_hash, dup_of, "pending" if dup_of is not None else "")  # fmt: skip
        cid = await store.insert_returning_id("complaint", COMPLAINT_COLUMNS[1:], fields)
        values = (cid, *fields)
        points = await store.key_points([key_id])
        live = await store.live_triggers([key_id])
        outcome = await reconcile(
            store, {key_id: KeyInfo(op, issue)}, points, live, default_rules(), actor
        )
        out = dict(zip(COMPLAINT_COLUMNS, values, strict=True))
        del out["contact_hash"]  # a fingerprint of personal data: not echoed
        out["received_at"] = received.at.isoformat() if received.at else None
        out["received_on"] = received.on.isoformat()
        await record(actor, "complaint.create", "complaint", cid, None, out)
    if followups:
        await followup.create_for(outcome.created, actor)
    out["triggers_created"] = outcome.created
    out["triggers_escalated"] = outcome.updated
    out["triggers_superseded"] = outcome.superseded
    out["triggers_withdrawn"] = outcome.deleted
    return out


async def first_duplicated(
    store: Any, key_id: int, day: dt.date, s_hash: str, c_hash: str
) -> int | None:
    """The first stored complaint of this key and day that a new complaint with these
    fingerprints duplicates (fingerprint.Deduper's rule), or None."""
    conds, args = [], [key_id, day]
    for col, value in (("summary_hash", s_hash), ("contact_hash", c_hash)):
        if value:
            args.append(value)
            conds.append(f"{col} = ${len(args)}")
    if not conds:
        return None
    rows = await store.fetch(
        f"SELECT MIN(id) FROM complaint WHERE key = $1 AND received_on = $2 AND {COUNTED}"
        f" AND ({' OR '.join(conds)})",
        *args,
    )
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


def mapping_for(path: Path | None, source: str | None) -> Mapping:
    if path is None:
        return canonical_mapping(source or "default")
    m = load_mapping(path)
    return m.model_copy(update={"source": source}) if source else m


async def import_file(
    csv_path: Path,
    mapping: Mapping,
    options: ImportOptions,
    actor: Actor,
) -> ImportReport:
    """Parse and import a CSV file (canonical layout or through a column mapping)."""
    popts = ParseOptions(
        timezone=get_settings().timezone, allow_unknown_issues=options.allow_unknown_issues
    )
    # Streamed, in binary: each line is decoded on its own, so a line in another encoding
    # rejects only its record. A layout error (the header) rolls the whole import back.
    with open(csv_path, "rb") as fh:
        report = await import_records(parse_rows(fh, mapping, popts), options, actor)
    await followup.create_for(report.triggers.created, actor)
    return report


# ---- triggers ------------------------------------------------------------------------------


async def _trigger_rows(where: str, args: list[Any], limit: int, offset: int) -> list[dict]:
    from audit.db import engine

    sql = (
        "SELECT t.id, t.key, t.operator, t.fired_on, t.complaint_ids, t.external_ids,"
        " t.count_at_firing, t.joined_count, t.status, t.order_ref, t.plan_ref, t.followup_note,"
        " t.superseded_at, k.operator_given, k.region_key, k.region_given, k.region_resolved,"
        " k.issue, k.issue_mapped FROM complaint_trigger t JOIN trigger_key k ON k.id = t.key"
        f" {where} ORDER BY t.fired_on, t.id LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    from piccolo.querystring import QueryString

    # QueryString binds the {} placeholders as parameters on both engines.
    rows = await engine().run_querystring(QueryString(sql, *args))
    out = []
    for rec in rows:
        r = dict(rec)
        for k in ("complaint_ids", "external_ids"):
            if isinstance(r[k], str):
                r[k] = json.loads(r[k])
        r["fired_on"] = str(r["fired_on"])[:10]
        r["escalation"] = r["joined_count"]
        r["region_resolved"] = bool(r["region_resolved"])
        r["issue_mapped"] = bool(r["issue_mapped"])
        out.append(r)
    return out


async def list_triggers(
    actor: Actor,
    status: str | None = None,
    operator_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if status:
        if status not in TRIGGER_STATUSES:
            raise DomainError(f"status must be one of {', '.join(TRIGGER_STATUSES)}", "status")
        clauses.append("t.status = {}")
        args.append(status)
    if actor.is_operator:
        operator_id = actor.operator_id
    if operator_id is not None:
        clauses.append("t.operator = {}")
        args.append(operator_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return await _trigger_rows(where, args, limit, offset)


async def get_trigger(trigger_id: int, actor: Actor) -> dict[str, Any]:
    rows = await _trigger_rows("WHERE t.id = {}", [trigger_id], 1, 0)
    if not rows or (actor.is_operator and rows[0]["operator"] != actor.operator_id):
        raise NotFound(f"trigger {trigger_id} not found")
    return rows[0]


async def set_trigger_status(trigger_id: int, status: str, actor: Actor) -> dict[str, Any]:
    before = await get_trigger(trigger_id, actor)
    if status not in TRANSITIONS.get(before["status"], set()):
        raise InvalidTransition(
            f"trigger {trigger_id} is {before['status']}; cannot become {status}", field="status"
        )
    from audit.domain.complaints.tables import ComplaintTrigger

    async with writing():
        await (
            ComplaintTrigger.update(
                {
                    ComplaintTrigger.status: status,
                    ComplaintTrigger.updated_at: dt.datetime.now(dt.UTC),
                }
            )
            .where(ComplaintTrigger._meta.primary_key == trigger_id)
            .run()
        )
        after = dict(before, status=status)
        await record(actor, "complaint_trigger.status", "complaint_trigger", trigger_id,
                     {"status": before["status"]}, {"status": status})  # fmt: skip
    return after


async def export_triggers(include_superseded: bool = False) -> list[dict[str, Any]]:
    """Every trigger as ``{"operator","region","issue","fired_on","complaints"}`` (issue 7)."""
    where = "" if include_superseded else "WHERE t.status <> 'superseded'"
    rows = await _trigger_rows(where, [], 10_000_000, 0)
    return [
        {
            "operator": r["operator_given"],
            "region": r["region_given"],
            "issue": r["issue"],
            "fired_on": r["fired_on"],
            "complaints": r["external_ids"],
        }
        for r in rows
    ]


async def get_complaint(complaint_id: int, actor: Actor) -> dict[str, Any]:
    row = await Complaint.select().where(Complaint._meta.primary_key == complaint_id).first().run()
    if row is None or (actor.is_operator and row["operator"] != actor.operator_id):
        raise NotFound(f"complaint {complaint_id} not found")
    return row


async def trigger_complaints(ids: list[int]) -> list[dict[str, Any]]:
    """The complaints of a trigger, in the rule's order (received date, external id)."""
    if not ids:
        return []
    rows = await (
        Complaint.select(
            Complaint._meta.primary_key,
            Complaint.source,
            Complaint.external_id,
            Complaint.received_on,
            Complaint.channel,
            Complaint.summary,
        )
        .where(Complaint._meta.primary_key.is_in([int(i) for i in ids]))
        .order_by(Complaint.received_on)
        .order_by(Complaint.external_id)
        .run()
    )
    return list(rows)


async def duplicates_of(ids: list[int]) -> list[dict[str, Any]]:
    """Complaints counted once as duplicates of these (pending or confirmed): what a trigger's
    page shows beside its complaints, so a reviewer sees what was not counted."""
    if not ids:
        return []
    rows = await (
        Complaint.select(
            Complaint._meta.primary_key,
            Complaint.source,
            Complaint.external_id,
            Complaint.received_on,
            Complaint.channel,
            Complaint.summary,
            Complaint.duplicate_of,
            Complaint.duplicate_state,
        )
        .where(
            Complaint.duplicate_of.is_in([int(i) for i in ids])
            & Complaint.duplicate_state.is_in(["pending", "confirmed"])
        )
        .order_by(Complaint.received_on)
        .order_by(Complaint.external_id)
        .run()
    )
    return list(rows)


async def key_count() -> int:
    return await ComplaintKey.count().run()


__all__ = ["LIMITS", "add_complaint", "export_triggers", "import_file", "list_triggers"]
