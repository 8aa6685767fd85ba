"""Inspections: open, record item results (manual or from probes), evidence, submit, score.

Scoring is ``checklists.scoring.score_answers`` on the stored answers and the pinned checklist
version, so a score can be recomputed at any time and must come out the same (seed 004 Art. 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit.context import Actor
from audit.db import engine, write_transaction
from audit.domain.auditlog.services import record
from audit.domain.evidence import services as evidence
from audit.domain.inspections.access import (
    answers_of,
    check_may_write,
    get_readable,
    get_writable,
    load_inspection,
)
from audit.domain.inspections.answers import (
    AnswerWrite,
    Outcome,
    is_unique_violation,
    upsert_answer,
)
from audit.domain.inspections.tables import Inspection, ItemEvidence
from audit.domain.plans.access import get_plan
from audit.domain.plans.checklist_versions import pinned_checklist
from audit.errors import DomainError, InvalidTransition, NotFound
from checklists.rules import RuleError, evaluate_rule
from checklists.schema import Checklist, Item
from checklists.scoring import Answer, Score, missing_evidence, score_answers

RESULTS = ("pass", "fail", "na")


@dataclass(frozen=True)
class EvidenceUpload:
    """Evidence bytes handed in with an automated result (e.g. a probe's recording)."""

    data: bytes
    kind: str
    filename: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _item(checklist: Checklist, item_id: str) -> Item:
    item = checklist.item(item_id)
    if item is None:
        raise NotFound(
            f"item {item_id!r} is not in checklist {checklist.id} v{checklist.version}",
            field="item_id",
        )
    return item


async def open_inspection(
    plan_id: int, venue_id: int, checklist_version_id: int | None, actor: Actor
) -> dict[str, Any]:
    plan = await get_plan(plan_id, actor)
    await check_may_write(plan_id, actor)
    if plan["status"] != "active":
        raise InvalidTransition(f"plan {plan_id} is {plan['status']}; inspections need it active")
    venue = next((v for v in plan["venues"] if v["venue_id"] == venue_id), None)
    if venue is None or venue_id not in plan["sample"]:
        raise DomainError(f"venue {venue_id} is not in the plan's sample", field="venue_id")
    applicable = []
    for pinned in plan["checklist_versions"]:
        if checklist_version_id is not None and pinned["id"] != checklist_version_id:
            continue
        checklist = await pinned_checklist(pinned["id"])
        if venue["kind"] in checklist.applies_to:
            applicable.append(pinned["id"])
    if not applicable:
        field = "checklist_version_id"
        raise DomainError(
            f"no checklist pinned by plan {plan_id} fits venue kind {venue['kind']}"
            if checklist_version_id is None
            else f"checklist version {checklist_version_id} is not pinned by plan "
            f"{plan_id} for a {venue['kind']} venue",
            field=field,
        )
    if len(applicable) > 1:
        raise DomainError(
            f"several pinned checklists fit: choose one of {applicable}",
            field="checklist_version_id",
        )
    async with engine().transaction():
        rows = await Inspection.insert(
            Inspection(
                plan=plan_id,
                venue=venue_id,
                checklist_version=applicable[0],
                status="open",
                started_by=actor.id,
                started_at=_now(),
            )
        ).returning(Inspection.id)
        out = await load_inspection(rows[0]["id"])
        await record(actor, "inspection.open", "inspection", out["id"], None, out)
    return out


def _check_result(item: Item, result: str) -> None:
    if result not in RESULTS:
        raise DomainError(f"result must be one of {RESULTS}, not {result!r}", field="result")
    if result == "na" and not item.na_allowed:
        raise DomainError(f"item {item.id} may not be answered N/A", field="result")


async def record_answer(
    inspection_id: int, write: AnswerWrite, actor: Actor
) -> tuple[dict[str, Any], Outcome]:
    """A manual answer by an inspector; replays and older answers change nothing."""
    inspection = await get_writable(inspection_id, actor)
    item = _item(await pinned_checklist(inspection["checklist_version_id"]), write.item_id)
    _check_result(item, write.result)
    outcome = await upsert_answer(inspection, write, actor)
    return await _answer(inspection_id, write.item_id), outcome


async def save_answer(inspection_id: int, write: AnswerWrite, actor: Actor) -> dict[str, Any]:
    """Autosave: the stored answer, the outcome, the item's evidence rule, the running score."""
    row, outcome = await record_answer(inspection_id, write, actor)
    inspection = await load_inspection(inspection_id)
    checklist = await pinned_checklist(inspection["checklist_version_id"])
    item = _item(checklist, write.item_id)
    answers = answers_for_scoring(await answers_of(inspection_id))
    stored = answers.get(write.item_id) or Answer.of("pass")
    return {
        **row,
        "outcome": outcome,
        "evidence_required": list(item.evidence_required),
        "evidence_missing": missing_evidence(item.evidence_required, stored),
        "score": score_json(score_answers(checklist, answers)),
    }


async def _answer(inspection_id: int, item_id: str) -> dict[str, Any]:
    for row in await answers_of(inspection_id):
        if row["item_id"] == item_id:
            return row
    raise NotFound(f"no answer for item {item_id!r}")


def judge(item: Item, measures: Mapping[str, Any]) -> str:
    """pass/fail/na for an item from a probe's measures, by the item's bound rule."""
    if item.measure is None:
        raise DomainError(f"item {item.id} has no measure binding; give a result", field="result")
    try:
        verdict = evaluate_rule(item.measure.rule, measures, item.measure.params)
    except RuleError as exc:
        raise DomainError(f"item {item.id}: {exc}", field="measures") from exc
    if verdict is None:
        if not item.na_allowed:
            raise DomainError(
                f"item {item.id}: the measures cannot judge {item.measure.rule!r} and N/A is "
                "not allowed",
                field="measures",
            )
        return "na"
    return "pass" if verdict else "fail"


async def _link(
    inspection_id: int, item_id: str, evidence_id: int, actor: Actor, client_id: str | None = None
) -> None:
    if await ItemEvidence.exists().where(
        (ItemEvidence.inspection == inspection_id)
        & (ItemEvidence.item_id == item_id)
        & (ItemEvidence.evidence == evidence_id)
    ):
        return
    await ItemEvidence.insert(
        ItemEvidence(
            inspection=inspection_id, item_id=item_id, evidence=evidence_id, client_id=client_id
        )
    )
    after = {"item_id": item_id, "evidence_id": evidence_id, "client_id": client_id}
    await record(actor, "inspection.evidence_attach", "inspection", inspection_id, None, after)


async def record_item_result(
    inspection_id: int,
    item_id: str,
    result: str | None,
    measures: Mapping[str, Any] | None,
    evidence_items: Sequence[int | EvidenceUpload],
    actor: Actor,
    note: str = "",
) -> dict[str, Any]:
    """The service probes call: one item's automated result with its measures and evidence.

    ``result`` None ⇒ judged from ``measures`` by the item's measure binding (rule + params).
    ``evidence_items`` are stored evidence ids or bytes to store. All or nothing.
    """
    inspection = await get_writable(inspection_id, actor)
    item = _item(await pinned_checklist(inspection["checklist_version_id"]), item_id)
    if result is None:
        result = judge(item, measures or {})
    _check_result(item, result)
    for ev in evidence_items:
        if isinstance(ev, int):
            await evidence.get_evidence(ev)  # 404 before anything is written
    blobs = [
        evidence.save_blob(ev.data, ev.kind) if isinstance(ev, EvidenceUpload) else ev
        for ev in evidence_items
    ]
    try:
        async with engine().transaction():
            await upsert_answer(
                inspection, AnswerWrite(item_id, result, note), actor, measures, "probe"
            )
            for ev, blob in zip(evidence_items, blobs, strict=True):
                if isinstance(ev, EvidenceUpload) and isinstance(blob, evidence.Blob):
                    row = await evidence.insert_evidence(blob, ev.kind, ev.filename, actor)
                    await _link(inspection_id, item_id, row["id"], actor)
                elif isinstance(ev, int):
                    await _link(inspection_id, item_id, ev, actor)
    except BaseException:
        for blob in blobs:
            if isinstance(blob, evidence.Blob):
                await evidence.discard_blob_if_orphan(blob)
        raise
    return await _answer(inspection_id, item_id)


async def attach_evidence(
    inspection_id: int, item_id: str, data: bytes, kind: str, filename: str | None, actor: Actor
) -> dict[str, Any]:
    row, _ = await attach_evidence_once(inspection_id, item_id, data, kind, filename, actor)
    return row


async def _uploaded(inspection_id: int, client_id: str) -> dict[str, Any] | None:
    link = (
        await ItemEvidence.select(ItemEvidence.evidence)
        .where((ItemEvidence.inspection == inspection_id) & (ItemEvidence.client_id == client_id))
        .first()
    )
    return None if link is None else await evidence.get_evidence(link["evidence"])


async def attach_evidence_once(
    inspection_id: int,
    item_id: str,
    data: bytes,
    kind: str,
    filename: str | None,
    actor: Actor,
    client_id: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Store and attach an evidence file; returns (evidence, created).

    With the browser's ``client_id`` a replayed upload returns the evidence stored the first
    time (created False) instead of a second copy — also when the two requests race.
    """
    inspection = await get_writable(inspection_id, actor)
    _item(await pinned_checklist(inspection["checklist_version_id"]), item_id)
    if client_id is not None and (done := await _uploaded(inspection_id, client_id)):
        return done, False
    blob = evidence.save_blob(data, kind)
    try:
        async with write_transaction():
            row = await evidence.insert_evidence(blob, kind, filename, actor)
            await _link(inspection_id, item_id, row["id"], actor, client_id)
    except BaseException as exc:
        await evidence.discard_blob_if_orphan(blob)
        replayed = client_id is not None and is_unique_violation(exc)
        if replayed and (done := await _uploaded(inspection_id, str(client_id))):
            return done, False
        raise
    return row, True


async def detach_evidence(inspection_id: int, item_id: str, evidence_id: int, actor: Actor) -> None:
    """Remove an evidence file from an item; sealed evidence cannot be removed (409)."""
    await get_writable(inspection_id, actor)
    link = (
        await ItemEvidence.select(ItemEvidence.id)
        .where(
            (ItemEvidence.inspection == inspection_id)
            & (ItemEvidence.item_id == item_id)
            & (ItemEvidence.evidence == evidence_id)
        )
        .first()
    )
    if link is None:
        raise NotFound(f"evidence {evidence_id} is not attached to item {item_id!r}")
    row = await evidence.get_evidence(evidence_id)
    if row["sealed"]:
        raise InvalidTransition(f"evidence {evidence_id} is sealed; it cannot be removed")
    async with engine().transaction():
        await ItemEvidence.delete().where(ItemEvidence.id == link["id"])
        before = {"item_id": item_id, "evidence_id": evidence_id}
        await record(actor, "inspection.evidence_detach", "inspection", inspection_id, before, None)
        if not await ItemEvidence.exists().where(ItemEvidence.evidence == evidence_id):
            await evidence.delete_unsealed(evidence_id, actor)


def answers_for_scoring(rows: list[dict[str, Any]]) -> dict[str, Answer]:
    return {
        r["item_id"]: Answer.of(r["result"], r["note"] or "", [e["kind"] for e in r["evidence"]])
        for r in rows
        if r["result"] is not None
    }


async def compute_score(inspection: dict[str, Any]) -> Score:
    """Score from the stored answers and the pinned version (what submit stores)."""
    checklist = await pinned_checklist(inspection["checklist_version_id"])
    return score_answers(checklist, answers_for_scoring(await answers_of(inspection["id"])))


def score_json(score: Score) -> dict[str, Any]:
    return {
        "score": None if score.score is None else str(score.score),
        "passed": score.passed,
        "pass_mark": str(score.pass_mark),
        "applicable_max": str(score.applicable_max),
        "deducted": str(score.deducted),
        "failed_items": list(score.failed_items),
        "veto_failed": list(score.veto_failed),
        "na_items": list(score.na_items),
        "blockers": list(score.blockers),
        "blocking": [
            {"item_id": b.item_id, "reason": b.reason, "missing": list(b.missing)}
            for b in score.blocking
        ],
        "submittable": score.submittable,
    }


async def preview(inspection_id: int, actor: Actor) -> dict[str, Any]:
    return score_json(await compute_score(await get_readable(inspection_id, actor)))
