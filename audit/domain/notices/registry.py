"""The public side: what the registry says about a notice, and full verification of a file.

Answers carry number, type, addressee, issue date and fingerprint — never the content.
"""

from __future__ import annotations

import asyncio
from typing import Any

from audit.domain.notices import config
from audit.domain.notices.tables import ISSUED_STATUSES, Notice
from audit.notices import verify
from audit.notices.models import TITLES, NoticeType
from audit.settings import Settings, get_settings

_PUBLIC = (
    Notice.token,
    Notice.notice_type,
    Notice.number,
    Notice.addressee,
    Notice.issue_date,
    Notice.sha256,
    Notice.status,
    Notice.superseded_by,
    Notice.test_signature,
    Notice.pdf_path,
)


async def _record(where: Any) -> verify.RegistryRecord | None:
    row = await (
        Notice.select(*_PUBLIC)
        .where(where & Notice.status.is_in(list(ISSUED_STATUSES)))
        .first()
        .run()
    )
    if row is None:
        return None
    replaced_by = None
    if row["superseded_by"] is not None:
        newer = (
            await Notice.select(Notice.number)
            .where(Notice.id == row["superseded_by"])
            .first()
            .run()
        )
        replaced_by = newer["number"] if newer else None
    return verify.RegistryRecord(
        token=row["token"],
        notice_type=row["notice_type"],
        number=row["number"],
        addressee=row["addressee"],
        issue_date=row["issue_date"],
        sha256=row["sha256"],
        status=row["status"],
        superseded_by=replaced_by,
        test_signature=_test_signature(row),
    )


def _test_signature(row: dict[str, Any]) -> bool:
    if row["test_signature"] is not None:
        return bool(row["test_signature"])
    # issued before the flag was recorded: the stored file's certificate says
    try:
        data = (config.notices_dir() / row["pdf_path"]).read_bytes()
    except (OSError, TypeError):
        return False
    return verify.signed_with_test_key(data)


async def by_sha256(digest: str) -> verify.RegistryRecord | None:
    return await _record(Notice.sha256 == digest.lower())


async def by_token(token: str) -> verify.RegistryRecord | None:
    return await _record(Notice.token == token)


def status_of(record: verify.RegistryRecord | None) -> verify.Status:
    """The registry's answer without a file (the QR page): issued notices are authentic."""
    if record is None:
        return verify.Status.unknown
    if record.status in ("revoked", "superseded"):
        return verify.Status(record.status)
    return verify.Status.authentic


def public_view(record: verify.RegistryRecord | None) -> dict[str, Any]:
    status = status_of(record)
    out: dict[str, Any] = {
        "status": str(status),
        "test_signature": bool(record is not None and record.test_signature),
    }
    if record is not None:
        out["notice"] = {
            "number": record.number,
            "notice_type": record.notice_type,
            "title": TITLES[NoticeType(record.notice_type)],
            "addressee": record.addressee,
            "issue_date": record.issue_date.isoformat(),
            "fingerprint": record.sha256,
            "superseded_by": record.superseded_by,
        }
    return out


async def verify_file(data: bytes, settings: Settings | None = None) -> verify.Verdict:
    """pyHanko validation against the configured trust roots + registry lookups."""
    settings = settings or get_settings()
    roots = config.trust_roots(settings)
    check = await asyncio.to_thread(verify.inspect_pdf, data, roots)
    rec_hash = await by_sha256(check.sha256)
    rec_token = None
    if rec_hash is None and check.token:
        rec_token = await by_token(check.token)
    return verify.decide(check, rec_hash, rec_token)
