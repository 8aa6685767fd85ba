"""Evidence: validated uploads, content-addressed storage, sealing and tamper checks."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.evidence import store
from audit.domain.evidence.sniff import EvidenceRejected, check_upload
from audit.domain.evidence.tables import Evidence
from audit.errors import DomainError, InvalidTransition, NotFound
from audit.settings import get_settings

_FIELDS = (
    Evidence.id,
    Evidence.sha256,
    Evidence.size,
    Evidence.media_type,
    Evidence.kind,
    Evidence.original_name,
    Evidence.uploaded_by.as_alias("uploaded_by_id"),
    Evidence.uploaded_by_name,
    Evidence.uploaded_at,
    Evidence.sealed,
    Evidence.sealed_at,
    Evidence.sealed_by_name,
)


def evidence_root() -> Path:
    return get_settings().evidence_path


def max_evidence_bytes() -> int:
    # AUDIT_EVIDENCE_MAX_BYTES narrows the request limit for evidence files (read per call so
    # an operator can change it without a code change; the lead may fold it into Settings).
    settings = get_settings()
    raw = os.environ.get("AUDIT_EVIDENCE_MAX_BYTES")
    limit = int(raw) if raw and raw.isdigit() else settings.max_upload_bytes
    return min(limit, settings.max_upload_bytes)


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int
    media_type: str
    created: bool  # False when the same bytes were already stored


def save_blob(data: bytes, kind: str) -> Blob:
    """Validate (size, type by magic bytes) and store the bytes. Raises DomainError (400)."""
    try:
        media_type = check_upload(data, kind, max_evidence_bytes())
    except EvidenceRejected as exc:
        status = 413 if "limit" in str(exc) else 415 if "content" in str(exc) else 400
        err = DomainError(f"evidence rejected: {exc}", field="file")
        err.status_code = status
        raise err from exc
    sha, created = store.put(evidence_root(), data)
    return Blob(sha, len(data), media_type, created)


async def discard_blob_if_orphan(blob: Blob) -> None:
    """After a failed transaction: remove a file we just created that no row references."""
    if blob.created and not await Evidence.exists().where(Evidence.sha256 == blob.sha256):
        store.remove(evidence_root(), blob.sha256)


async def insert_evidence(
    blob: Blob, kind: str, original_name: str | None, actor: Actor
) -> dict[str, Any]:
    """Insert the row for a saved blob (call inside the caller's transaction)."""
    name = (original_name or "")[:255] or None
    rows = (
        await Evidence.insert(
            Evidence(
                sha256=blob.sha256,
                size=blob.size,
                media_type=blob.media_type,
                kind=kind,
                original_name=name,
                uploaded_by=actor.id,
                uploaded_by_name=actor.name,
                uploaded_at=dt.datetime.now(dt.UTC),
            )
        )
        .returning(Evidence.id)
        .run()
    )
    row = await get_evidence(rows[0]["id"])
    await record(actor, "evidence.upload", "evidence", row["id"], None, row)
    return row


async def store_evidence(
    data: bytes, kind: str, original_name: str | None, actor: Actor
) -> dict[str, Any]:
    """Validate, store and register one evidence file (e.g. a probe's recording)."""
    blob = save_blob(data, kind)
    try:
        async with engine().transaction():
            return await insert_evidence(blob, kind, original_name, actor)
    except BaseException:
        await discard_blob_if_orphan(blob)
        raise


async def get_evidence(evidence_id: int) -> dict[str, Any]:
    row = await Evidence.select(*_FIELDS).where(Evidence.id == evidence_id).first().run()
    if row is None:
        raise NotFound(f"evidence {evidence_id} not found")
    return row


async def get_visible(evidence_id: int, actor: Actor) -> dict[str, Any]:
    """The evidence if ``actor`` may see the plans it belongs to (else 404, as for missing)."""
    from audit.domain.plans.confidentiality import may_see_evidence

    row = await get_evidence(evidence_id)
    if not await may_see_evidence(actor, row):
        raise NotFound(f"evidence {evidence_id} not found")
    return row


async def get_many(ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return await Evidence.select(*_FIELDS).where(Evidence.id.is_in(ids)).order_by(Evidence.id).run()


async def seal_evidence(evidence_id: int, actor: Actor) -> dict[str, Any]:
    """Seal once (a second seal is an invalid transition); sealed evidence is immutable.
    Only who may see the evidence's plans may seal it."""
    await get_visible(evidence_id, actor)
    async with engine().transaction():
        before = await get_evidence(evidence_id)
        if before["sealed"]:
            raise InvalidTransition(f"evidence {evidence_id} is already sealed")
        await (
            Evidence.update(
                {
                    Evidence.sealed: True,
                    Evidence.sealed_at: dt.datetime.now(dt.UTC),
                    Evidence.sealed_by_name: actor.name,
                }
            )
            .where(Evidence.id == evidence_id)
            .run()
        )
        after = await get_evidence(evidence_id)
        await record(actor, "evidence.seal", "evidence", evidence_id, before, after)
    return after


async def seal_many(ids: list[int], actor: Actor) -> None:
    """Seal every not-yet-sealed evidence in ``ids`` (inside the caller's transaction)."""
    for row in await get_many(ids):
        if not row["sealed"]:
            await seal_evidence(row["id"], actor)


def verify_row(row: dict[str, Any]) -> dict[str, Any]:
    """Re-hash the stored file: ok | tampered | missing."""
    path = store.blob_path(evidence_root(), row["sha256"])
    if not path.exists():
        return {"id": row["id"], "sha256": row["sha256"], "status": "missing", "actual": None}
    actual = store.file_sha256(path)
    status = "ok" if actual == row["sha256"] else "tampered"
    return {"id": row["id"], "sha256": row["sha256"], "status": status, "actual": actual}


async def verify_evidence(evidence_id: int) -> dict[str, Any]:
    return verify_row(await get_evidence(evidence_id))


async def verify_all() -> list[dict[str, Any]]:
    rows = await Evidence.select(*_FIELDS).order_by(Evidence.id).run()
    return [verify_row(row) for row in rows]


def blob_file(row: dict[str, Any]) -> Path:
    return store.blob_path(evidence_root(), row["sha256"])


async def delete_unsealed(evidence_id: int, actor: Actor) -> None:
    """Delete an unsealed evidence row (inside the caller's transaction); sealed ⇒ 409."""
    row = await get_evidence(evidence_id)
    if row["sealed"]:
        raise InvalidTransition(f"evidence {evidence_id} is sealed and cannot be deleted")
    await Evidence.delete().where(Evidence.id == evidence_id).run()
    await record(actor, "evidence.delete", "evidence", evidence_id, row, None)
    # The file stays: removing it inside a transaction that may still roll back would leave a
    # row without its bytes. Unreferenced files are harmless (content-addressed).
