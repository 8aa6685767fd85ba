"""A draft as its pages will look: rendered by the issuing renderer with "(草稿)" in place of
the number, turned into PNG images by poppler's pdftoppm for the editor's preview (nothing is
numbered, signed or stored)."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from audit.domain.notices.services import load
from audit.errors import DomainError
from audit.notices.models import NoticeMeta, NoticeType, check_content
from audit.notices.render import render_notice
from audit.settings import get_settings

DRAFT_NUMBER = "(草稿)"
RESOLUTION = 60  # dpi: an A4 page ≈ 500 × 700 px, readable on a laptop, light on a phone
MAX_PAGES = 40


def _pngs(pdf: bytes) -> list[bytes]:
    with tempfile.TemporaryDirectory(prefix="notice-preview-") as tmp:
        src = Path(tmp) / "draft.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(RESOLUTION),
                "-l",
                str(MAX_PAGES),
                str(src),
                str(Path(tmp) / "page"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return [p.read_bytes() for p in sorted(Path(tmp).glob("page-*.png"))]


async def preview_pages(notice_id: int) -> list[bytes]:
    """PNG of every page of the draft (or of the approved notice before it is issued)."""
    row = await load(notice_id)
    check = check_content(row["notice_type"], row["content"] or {})
    if not check.ok:
        raise DomainError(
            "the preview needs complete content; still " + "; ".join(check.missing + check.invalid),
            field="content",
        )
    s = get_settings()
    meta = NoticeMeta(
        authority=s.authority_name,
        letterhead=s.authority_name,
        number=DRAFT_NUMBER,
        addressee=row["addressee"],
        issue_date=dt.datetime.now(s.zone).date(),
        verify_url=f"{s.public_base_url.rstrip('/')}/verify/{row['token']}",
        token=row["token"],
        test_key=True,
    )
    rendered = await asyncio.to_thread(
        render_notice, NoticeType(row["notice_type"]), meta, check.model
    )
    return await asyncio.to_thread(_pngs, rendered.pdf)
