"""Reviewing cross-source duplicates (issue 20): confirm or reject a flagged complaint, or mark
one by hand, then re-evaluate its key — a trigger whose count falls below the threshold is
withdrawn (or superseded, with its drafts withdrawn: reconcile → followup.withdraw_drafts).

States (``complaint.duplicate_state``): ``pending`` (flagged by the importer, counted once),
``confirmed`` (a reviewer agreed, counted once), ``rejected`` (a reviewer said it is a complaint
of its own: counted). Every decision is in the audit log with its reason.
"""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.complaints import followup
from audit.domain.complaints.fingerprint import COUNTED_ONCE
from audit.domain.complaints.reconcile import KeyInfo, Outcome, reconcile
from audit.domain.complaints.rules import default_rules
from audit.domain.complaints.store import Store, writing
from audit.errors import Conflict, DomainError, InvalidTransition, NotFound

_COLS = ("id", "key", "operator", "issue", "received_on", "duplicate_of", "duplicate_state")


async def _row(store: Store, complaint_id: int) -> dict[str, Any] | None:
    rows = await store.fetch(
        f"SELECT {', '.join(_COLS)} FROM complaint WHERE id = $1", complaint_id
    )
    return dict(zip(_COLS, rows[0], strict=True)) if rows else None


async def review(
    complaint_id: int,
    decision: str,
    actor: Actor,
    of: int | None = None,
    reason: str = "",
) -> tuple[int, Outcome]:
    """Apply a reviewer's ``decision`` ("confirm" | "reject"); returns (key id, trigger
    changes). ``of``: with "confirm", mark a complaint that was not flagged (or re-point it)
    as a duplicate of that first complaint (same operator, region and issue)."""
    if decision not in ("confirm", "reject"):
        raise DomainError("decision must be confirm or reject", field="decision")
    if of is not None and decision != "confirm":
        raise DomainError("only a confirmation names the first complaint", field="of")
    async with writing() as store:
        row = await _row(store, complaint_id)
        if row is None or actor.is_operator:
            raise NotFound(f"complaint {complaint_id} not found")
        before = {"duplicate_of": row["duplicate_of"], "duplicate_state": row["duplicate_state"]}
        target = of if of is not None else row["duplicate_of"]
        if target is None:
            raise InvalidTransition(
                f"complaint {complaint_id} is not flagged as a duplicate; name the first"
                " complaint (of) to mark it by hand",
                field="of",
            )
        if decision == "reject":
            if row["duplicate_state"] not in COUNTED_ONCE:
                raise InvalidTransition(
                    f"complaint {complaint_id} is not counted as a duplicate"
                    f" ({row['duplicate_state'] or 'not flagged'})",
                    field="decision",
                )
            state = "rejected"
        else:
            if row["duplicate_state"] == "confirmed" and target == row["duplicate_of"]:
                raise InvalidTransition(
                    f"complaint {complaint_id} is confirmed already", field="decision"
                )
            await _check_target(store, row, target)
            state = "confirmed"
        await store.execute(
            "UPDATE complaint SET duplicate_of = $1, duplicate_state = $2 WHERE id = $3",
            target,
            state,
            complaint_id,
        )
        after = {"duplicate_of": target, "duplicate_state": state, "reason": reason}
        await record(
            actor, f"complaint.duplicate_{decision}", "complaint", complaint_id, before, after
        )
        why = f"duplicate review: complaint {complaint_id} {state} as a duplicate of {target}"
        outcome = await reevaluate(store, row, actor, why)
    await followup.create_for(outcome.created, actor)
    return row["key"], outcome


async def _check_target(store: Store, row: dict[str, Any], target: int) -> None:
    if target == row["id"]:
        raise DomainError("a complaint cannot duplicate itself", field="of")
    first = await _row(store, target)
    if first is None:
        raise DomainError(f"complaint {target} not found", field="of")
    if first["key"] != row["key"]:
        raise DomainError(
            f"complaint {target} has another operator, region or issue: not a duplicate",
            field="of",
        )
    if first["duplicate_state"] in COUNTED_ONCE:
        raise Conflict(
            f"complaint {target} is itself a duplicate of {first['duplicate_of']}: name that one",
            field="of",
        )
    dependants = await store.fetch(
        "SELECT MIN(id) FROM complaint WHERE duplicate_of = $1"
        " AND duplicate_state IN ('pending', 'confirmed')",
        row["id"],
    )
    if dependants and dependants[0][0] is not None:
        raise Conflict(
            f"complaint {dependants[0][0]} is counted as a duplicate of {row['id']}: review it"
            " first (a duplicate is never the first complaint of another)",
            field="of",
        )


async def reevaluate(store: Store, row: dict[str, Any], actor: Actor, reason: str) -> Outcome:
    """The rule over the key's counted complaints; differences written (reconcile)."""
    key = row["key"]
    points = await store.key_points([key])
    live = await store.live_triggers([key])
    info = {key: KeyInfo(row["operator"], row["issue"])}
    return await reconcile(store, info, points, live, default_rules(), actor, reason=reason)
