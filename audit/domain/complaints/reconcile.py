"""Bring stored triggers of some keys in line with the rule applied to all their complaints.

A stored trigger that the data still produces (same fired_on, same complaints at firing) is
kept and only its joined complaints are refreshed. One the data no longer produces (a
back-dated complaint changed the outcome) is deleted while nothing was issued for it, and
otherwise marked ``superseded`` (issue 7: never deleted once acted upon). Every change to a
pre-existing trigger is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.complaints.rules import RuleSet
from audit.domain.complaints.store import TRIGGER_COLUMNS, Store, json_text
from audit.domain.complaints.trigger import Firing, Point, evaluate_key

# Above this many new triggers in one call, one summary audit entry replaces per-trigger ones.
PER_TRIGGER_AUDIT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class KeyInfo:
    operator_id: int
    issue: str


@dataclass
class Outcome:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)


def _identity(fired_on: dt.date, member_ids: list[Any]) -> tuple[dt.date, tuple[Any, ...]]:
    return fired_on, tuple(member_ids)


def _view(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": t["key"],
        "fired_on": str(t["fired_on"]),
        "external_ids": t["external_ids"],
        "count_at_firing": t["count_at_firing"],
        "joined_count": t["joined_count"],
        "status": t["status"],
    }


async def reconcile(
    store: Store,
    keys: Mapping[int, KeyInfo],
    points: Mapping[int, list[Point]],
    live: Mapping[int, list[dict[str, Any]]],
    rules: RuleSet,
    actor: Actor,
    computed: Mapping[int, list[Firing]] | None = None,
    reason: str = "re-evaluated: the key's complaints no longer produce this trigger",
) -> Outcome:
    """Evaluate every key in ``keys`` over ``points`` and write the differences.

    ``computed`` holds firings already evaluated for some keys (the importer evaluates new keys
    while the database ingests their complaints). A superseded trigger's draft order and plan
    are withdrawn with ``reason`` (followup.withdraw_drafts), never left behind it.
    """
    now = dt.datetime.now(dt.UTC)
    out = Outcome()
    inserts: list[tuple[int, int, Firing]] = []  # (key, operator, firing)
    for key_id, info in keys.items():
        firings = (computed or {}).get(key_id)
        if firings is None:
            firings = evaluate_key(points.get(key_id, []), rules.for_issue(info.issue))
        stored = {
            _identity(t["fired_on"], t["complaint_ids"][: t["count_at_firing"]]): t
            for t in live.get(key_id, [])
        }
        for f in firings:
            t = stored.pop(_identity(f.fired_on, [p.ref for p in f.members]), None)
            if t is None:
                inserts.append((key_id, info.operator_id, f))
                continue
            ids = [p.ref for p in f.complaints]
            if ids != t["complaint_ids"]:
                await store.execute(
                    "UPDATE complaint_trigger SET complaint_ids = $1, external_ids = $2,"
                    " joined_count = $3, updated_at = $4 WHERE id = $5",
                    json_text(ids),
                    json_text(f.external_ids),
                    f.escalation,
                    now,
                    t["id"],
                )
                after = dict(t, external_ids=f.external_ids, joined_count=f.escalation)
                await record(
                    actor, "complaint_trigger.escalate", "complaint_trigger", t["id"],
                    _view(t), _view(after),
                )  # fmt: skip
                out.updated.append(t["id"])
        for t in stored.values():
            if t["status"] == "new" and not t["order_ref"] and not t["plan_ref"]:
                await store.execute("DELETE FROM complaint_trigger WHERE id = $1", t["id"])
                await record(
                    actor, "complaint_trigger.withdraw", "complaint_trigger", t["id"],
                    _view(t), None,
                )  # fmt: skip
                out.deleted.append(t["id"])
            else:
                await store.execute(
                    "UPDATE complaint_trigger SET status = 'superseded', superseded_at = $1,"
                    " updated_at = $2 WHERE id = $3",
                    now,
                    now,
                    t["id"],
                )
                await record(
                    actor, "complaint_trigger.supersede", "complaint_trigger", t["id"],
                    _view(t), dict(_view(t), status="superseded", reason=reason),
                )  # fmt: skip
                out.superseded.append(t["id"])
                if t["order_ref"] or t["plan_ref"]:
                    from audit.domain.complaints.followup import withdraw_drafts

                    await withdraw_drafts(store, t, reason, actor)
    if inserts:
        first = await store.reserve_ids("complaint_trigger", len(inserts))
        rows = [
            _trigger_row(first + i, key_id, op_id, f, now)
            for i, (key_id, op_id, f) in enumerate(inserts)
        ]
        await store.insert_many("complaint_trigger", TRIGGER_COLUMNS, rows)
        out.created = [r[0] for r in rows]
        await audit_created(actor, [(r[0], r[1], r[3], r[6]) for r in rows])
    return out


def _trigger_row(
    trigger_id: int, key_id: int, op_id: int, f: Firing, now: dt.datetime
) -> tuple[Any, ...]:
    return (
        trigger_id, key_id, op_id, f.fired_on, json_text([p.ref for p in f.complaints]),
        json_text(f.external_ids), f.count_at_firing, f.escalation, "new", None, None, "", None,
        now, now,
    )  # fmt: skip


def new_key_trigger_rows(
    keys: Mapping[int, KeyInfo],
    points: Mapping[int, list[Point]],
    rules: RuleSet,
    first_id: int,
    created: list[tuple[Any, ...]],
) -> Iterator[tuple[Any, ...]]:
    """Evaluate keys that had no complaints before and yield their trigger rows (ids from
    ``first_id``): the importer streams them into one COPY while it evaluates the next keys.
    ``created`` receives (id, key, fired_on, count) of each row."""
    now = dt.datetime.now(dt.UTC)
    next_id = first_id
    for key_id, info in keys.items():
        for f in evaluate_key(points[key_id], rules.for_issue(info.issue)):
            row = _trigger_row(next_id, key_id, info.operator_id, f, now)
            created.append((next_id, key_id, f.fired_on, f.count_at_firing))
            next_id += 1
            yield row


async def audit_created(actor: Actor, rows: Sequence[tuple[Any, ...]]) -> None:
    """One entry per new trigger (rows of id, key, fired_on, count at firing), or one summary
    entry for a bulk import."""
    if not rows:
        return
    if len(rows) <= PER_TRIGGER_AUDIT_LIMIT:
        for tid, key_id, fired_on, count in rows:
            after = {"key": key_id, "fired_on": str(fired_on), "count_at_firing": count}
            await record(actor, "complaint_trigger.create", "complaint_trigger", tid, None, after)
    else:
        await record(
            actor, "complaint_trigger.create_many", "complaint_trigger",
            f"{rows[0][0]}-{rows[-1][0]}", None, {"count": len(rows)},
        )  # fmt: skip
