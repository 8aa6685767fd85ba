"""The public register of published notices: no login, linked from every page's footer."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import QueryParameter
from litestar.response import File, Template

from audit.api import Id, Offset
from audit.domain.notices.published import list_published, published_pdf
from audit.web.i18n import N_, gettext
from audit.web.pages.base import PageController

PAGE_SIZE = 50
TYPE_LABELS = {
    "rectification": N_("Rectification notice"),
    "self_inspection": N_("Self-inspection order"),
    "findings_report": N_("Findings report"),
    "public_notice": N_("Public service-quality notice"),
    "closing_letter": N_("Closing letter"),
    "overdue_followup": N_("Overdue follow-up"),
}


class PublicNoticePages(PageController):
    path = "/public/notices"

    @get("/")
    async def index(
        self,
        notice_type: Annotated[str | None, QueryParameter(name="type", max_length=20)] = None,
        offset: Offset = 0,
    ) -> Template:
        chosen = notice_type if notice_type in TYPE_LABELS else None
        rows = await list_published(PAGE_SIZE + 1, offset, chosen)
        base = "/public/notices?" + (f"type={chosen}&" if chosen else "")
        return Template(
            "public/notices.html.j2",
            context={
                "rows": rows[:PAGE_SIZE],
                "has_next": len(rows) > PAGE_SIZE,
                "offset": offset,
                "page_size": PAGE_SIZE,
                "base": base,
                "chosen": chosen or "",
                "types": [(k, gettext(v)) for k, v in TYPE_LABELS.items()],
                "labels": {k: gettext(v) for k, v in TYPE_LABELS.items()},
            },
        )

    @get("/{notice_id:int}/pdf")
    async def pdf(self, notice_id: Id) -> File:
        path, row = await published_pdf(notice_id)
        return File(
            path=path,
            media_type="application/pdf",
            filename=f"notice-{row['notice_type']}-{row['year']}-{row['seq']:04d}.pdf",
        )


ROUTES = [PublicNoticePages]
