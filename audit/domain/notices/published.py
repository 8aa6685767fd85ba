"""The public register of published notices (no login): number, type, date, addressee, and
the links to verify and download each. Published = issued and still in force (issued,
delivered, acknowledged); drafts, approved-but-unissued, superseded and revoked notices are
not listed (their verification page still answers for anyone holding a copy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.domain.notices import issuing
from audit.domain.notices.tables import Notice
from audit.errors import NotFound

PUBLISHED = ("issued", "delivered", "acknowledged")


async def list_published(
    limit: int = 50, offset: int = 0, notice_type: str | None = None
) -> list[dict[str, Any]]:
    q = (
        Notice.select(
            Notice.id,
            Notice.number,
            Notice.notice_type,
            Notice.issue_date,
            Notice.addressee,
            Notice.token,
            Notice.operator.name.as_alias("operator"),
        )
        .where(Notice.status.is_in(list(PUBLISHED)))
        .order_by(Notice.issue_date, ascending=False)
        .order_by(Notice.id, ascending=False)
    )
    if notice_type:
        q = q.where(Notice.notice_type == notice_type)
    return list(await q.limit(limit).offset(offset).run())


async def published_pdf(notice_id: int) -> tuple[Path, dict[str, Any]]:
    row = (
        await Notice.select()
        .where((Notice.id == notice_id) & Notice.status.is_in(list(PUBLISHED)))
        .first()
        .run()
    )
    if row is None:
        raise NotFound(f"notice {notice_id} not found")
    path = issuing.pdf_file(row)
    if not path.is_file():
        raise NotFound(f"notice {notice_id}: stored PDF is missing")
    return path, row
