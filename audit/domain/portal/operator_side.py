"""What an operator user does with a finding: report rectification (amendable until the
regulator starts verifying), dispute it inside the window. Files are stored as evidence like
the inspectors' (SHA-256, type sniffed from the bytes, size limits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from audit import clock
from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.evidence import services as evidence
from audit.domain.evidence.sniff import sniff
from audit.domain.notices.services import load as load_notice
from audit.domain.portal import items, states
from audit.domain.portal.config import get_portal_settings
from audit.domain.portal.tables import Dispute, Rectification
from audit.errors import DomainError, InvalidTransition, NotFound

MAX_FILES = 10
LIVE_NOTICE = ("issued", "delivered", "acknowledged")


@dataclass(frozen=True)
class Upload:
    filename: str | None
    data: bytes


def kind_of(data: bytes) -> str:
    """Evidence kind from what the bytes are (photos, recordings, documents)."""
    media = sniff(data) or ""
    if media.startswith("image/"):
        return "photo"
    if media.startswith("audio/"):
        return "recording"
    return "note"  # PDF or text; anything else is refused by the evidence rules


async def own_item(item_id: int, actor: Actor) -> dict[str, Any]:
    """The item, if ``actor`` may act on it as its operator; otherwise the same 404 as missing."""
    try:
        item = await items.load(item_id)
    except NotFound:
        raise NotFound(f"finding {item_id} not found") from None
    if not actor.is_operator or item["operator_id"] != actor.operator_id:
        raise NotFound(f"finding {item_id} not found")
    return item


async def _store_files(
    files: Sequence[Upload], actor: Actor
) -> tuple[list[evidence.Blob], list[str]]:
    if len(files) > MAX_FILES:
        raise DomainError(f"at most {MAX_FILES} files per report", field="files")
    blobs, kinds = [], []
    for i, f in enumerate(files):
        kind = kind_of(f.data)
        try:
            blobs.append(evidence.save_blob(f.data, kind))
        except DomainError as exc:
            exc.field = f"files[{i}]"
            exc.message = f"{f.filename or f'file {i + 1}'}: {exc.message}"
            raise
        kinds.append(kind)
    return blobs, kinds


async def _insert_files(
    files: Sequence[Upload], blobs: list[evidence.Blob], kinds: list[str], actor: Actor
) -> list[int]:
    ids = []
    for f, blob, kind in zip(files, blobs, kinds, strict=True):
        row = await evidence.insert_evidence(blob, kind, f.filename, actor)
        ids.append(row["id"])
    return ids


async def _discard(blobs: list[evidence.Blob]) -> None:
    for blob in blobs:
        await evidence.discard_blob_if_orphan(blob)


def _check_text(value: str, field: str, limit: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"{field} is required", field=field)
    if len(value) > limit or "\x00" in value:
        raise DomainError(f"{field}: at most {limit} characters, no NUL", field=field)
    return value


async def report_rectification(
    item_id: int, actor: Actor, description: str, done_on: dt.date, files: Sequence[Upload] = ()
) -> dict[str, Any]:
    """open/reopened/overdue/upheld → rectification_reported, with what was done and proof."""
    from audit.settings import get_settings

    item = await own_item(item_id, actor)
    description = _check_text(description, "description")
    today = clock.today(get_settings().zone)
    if done_on > today:
        raise DomainError(f"done_on {done_on} is in the future", field="done_on")
    if not states.allowed("report_rectification", item):
        raise InvalidTransition(
            f"finding {item_id} is {item['state']}: a rectification can be reported when it is "
            f"{', '.join(states.OWING)}",
            field="state",
        )
    blobs, kinds = await _store_files(files, actor)
    late = item["deadline"] is not None and today > item["deadline"]
    try:
        async with engine().transaction():
            ids = await _insert_files(files, blobs, kinds, actor)
            rows = await Rectification.insert(
                Rectification(
                    item=item_id,
                    operator=item["operator_id"],
                    description=description,
                    done_on=done_on,
                    evidence_ids=ids,
                    status="reported",
                    late=late,
                    reported_by=actor.id,
                    reported_by_name=actor.name,
                    reported_at=clock.now(),
                )
            ).returning(Rectification.id)
            rect = await get_rectification(rows[0]["id"])
            await record(actor, "rectification.report", "rectification", rect["id"], None, rect)
            after = await items.move(
                item_id,
                "report_rectification",
                actor,
                detail={"rectification_id": rect["id"], "late": late},
            )
            if after["origin"] == "probe":
                from audit.domain.portal import verification

                await verification.propose(after, actor)
    except BaseException:
        await _discard(blobs)
        raise
    return rect


async def get_rectification(rect_id: int) -> dict[str, Any]:
    row = (
        await Rectification.select(
            *[c for c in Rectification._meta.columns if c._meta.name not in ("item", "operator")],
            Rectification.item.as_alias("item_id"),
            Rectification.operator.as_alias("operator_id"),
        )
        .where(Rectification.id == rect_id)
        .first()
    )
    if row is None:
        raise NotFound(f"rectification {rect_id} not found")
    return items._decode_json(row, "evidence_ids", "revisions")


async def rectifications_of(item_id: int) -> list[dict[str, Any]]:
    rows = await Rectification.select(Rectification.id).where(Rectification.item == item_id)
    return [await get_rectification(r["id"]) for r in sorted(rows, key=lambda r: r["id"])]


async def amend_rectification(
    rect_id: int,
    actor: Actor,
    description: str | None,
    done_on: dt.date | None,
    files: Sequence[Upload] = (),
) -> dict[str, Any]:
    """Change a report (text, date, more files) while the regulator has not started verifying;
    the previous version is kept in ``revisions``."""
    rect = await get_rectification(rect_id)
    item = await own_item(rect["item_id"], actor)
    if rect["status"] != "reported" or item["state"] != "rectification_reported":
        raise InvalidTransition(
            f"rectification {rect_id} can no longer be amended: verification started",
            field="state",
        )
    blobs, kinds = await _store_files(files, actor)
    try:
        async with engine().transaction():
            new_ids = await _insert_files(files, blobs, kinds, actor)
            previous = {k: rect[k] for k in ("description", "done_on", "evidence_ids")}
            previous["replaced_at"] = clock.now().isoformat()
            previous["done_on"] = str(previous["done_on"])
            values: dict[Any, Any] = {
                Rectification.evidence_ids: [*rect["evidence_ids"], *new_ids],
                Rectification.amended_at: clock.now(),
                Rectification.revisions: [*rect["revisions"], previous],
            }
            if description is not None:
                values[Rectification.description] = _check_text(description, "description")
            if done_on is not None:
                values[Rectification.done_on] = done_on
            n = (
                await Rectification.update(values)
                .where((Rectification.id == rect_id) & (Rectification.status == "reported"))
                .returning(Rectification.id)
            )
            if not n:
                raise InvalidTransition(f"rectification {rect_id} changed meanwhile", "state")
            after = await get_rectification(rect_id)
            await record(actor, "rectification.amend", "rectification", rect_id, rect, after)
    except BaseException:
        await _discard(blobs)
        raise
    return after


async def file_dispute(
    item_id: int, actor: Actor, reason: str, proposed_outcome: str, files: Sequence[Upload] = ()
) -> dict[str, Any]:
    """open/overdue → disputed, inside the window (working days after delivery)."""
    from audit.settings import get_settings

    item = await own_item(item_id, actor)
    reason = _check_text(reason, "reason")
    proposed = (proposed_outcome or "").strip()[:2000]
    notice = await load_notice(item["notice_id"])
    closes = items.dispute_closes_on(notice)
    today = clock.today(get_settings().zone)
    days = get_portal_settings().dispute_working_days
    if closes is not None and today > closes:
        raise DomainError(
            f"the dispute window closed on {closes.isoformat()} ({days} working days after "
            f"delivery on {items.delivered_on(notice)})",
            field="finding",
        )
    if await Dispute.exists().where(Dispute.item == item_id):
        raise InvalidTransition(f"finding {item_id} has already been disputed", field="state")
    if not states.allowed("dispute", item):
        raise InvalidTransition(
            f"finding {item_id} is {item['state']}: only an open finding can be disputed",
            field="state",
        )
    blobs, kinds = await _store_files(files, actor)
    try:
        async with engine().transaction():
            ids = await _insert_files(files, blobs, kinds, actor)
            rows = await Dispute.insert(
                Dispute(
                    item=item_id,
                    operator=item["operator_id"],
                    reason=reason,
                    proposed_outcome=proposed,
                    evidence_ids=ids,
                    prior_state=item["state"],
                    window_closes_on=closes or today,
                    status="pending",
                    filed_by=actor.id,
                    filed_by_name=actor.name,
                    filed_at=clock.now(),
                )
            ).returning(Dispute.id)
            dispute = await get_dispute(rows[0]["id"])
            await record(actor, "dispute.file", "dispute", dispute["id"], None, dispute)
            await items.move(item_id, "dispute", actor, detail={"dispute_id": dispute["id"]})
    except BaseException:
        await _discard(blobs)
        raise
    return dispute


async def get_dispute(dispute_id: int) -> dict[str, Any]:
    row = (
        await Dispute.select(
            *[c for c in Dispute._meta.columns if c._meta.name not in ("item", "operator")],
            Dispute.item.as_alias("item_id"),
            Dispute.operator.as_alias("operator_id"),
        )
        .where(Dispute.id == dispute_id)
        .first()
    )
    if row is None:
        raise NotFound(f"dispute {dispute_id} not found")
    return items._decode_json(row, "evidence_ids")


async def disputes_of(item_id: int) -> list[dict[str, Any]]:
    rows = await Dispute.select(Dispute.id).where(Dispute.item == item_id)
    return [await get_dispute(r["id"]) for r in sorted(rows, key=lambda r: r["id"])]


async def acknowledge(notice_id: int, actor: Actor, comment: str | None) -> dict[str, Any]:
    from audit.domain.notices import issuing

    return await issuing.acknowledge(notice_id, actor, comment)


__all__ = ["LIVE_NOTICE"]
