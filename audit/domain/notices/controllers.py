"""Notice API: drafts and lifecycle for staff, own issued notices for operator users, and the
public verification endpoints (the QR target) that never show a notice's content."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.response import File, Response

from audit.api import CurrentActor, Id, Limit, Offset
from audit.domain.accounts.guards import require
from audit.domain.notices import drafts, hooks, issuing, registry, services
from audit.domain.notices.pages import verification_page
from audit.domain.notices.schemas import (
    AcknowledgeIn,
    DraftIn,
    DraftPatch,
    FromInspectionIn,
    NoticeOut,
    OverrideIn,
    RevokeIn,
    VerificationOut,
)
from audit.domain.plans import confidentiality
from audit.errors import Conflict, DomainError
from audit.openapi import serving

Token = Annotated[str, PathParameter(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")]
MAX_PDF_BYTES = 20 * 1024 * 1024


class NoticeController(Controller):
    path = "/notices"
    tags = ["notices"]

    @get(
        "/",
        guards=[require("notices.read")],
        summary="Notices (operator users: their own issued notices)",
    )
    async def list_notices(
        self,
        actor: CurrentActor,
        status: Annotated[str | None, QueryParameter(max_length=14)] = None,
        notice_type: Annotated[str | None, QueryParameter(max_length=20)] = None,
        operator_id: Annotated[int | None, QueryParameter(ge=1, le=2_147_483_647)] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[NoticeOut]:
        rows = await services.list_notices(
            actor,
            status=status,
            notice_type=notice_type,
            operator_id=operator_id,
            limit=limit,
            offset=offset,
        )
        return [NoticeOut.of(r) for r in rows]

    @get("/{notice_id:int}", guards=[require("notices.read")])
    async def get_notice(self, notice_id: Id, actor: CurrentActor) -> NoticeOut:
        return NoticeOut.of(await services.get_notice(notice_id, actor))

    @get("/{notice_id:int}/pdf", guards=[require("notices.read")], summary="Download the signed PDF",
         operation_class=serving("application/pdf"))  # fmt: skip
    async def pdf(self, notice_id: Id, actor: CurrentActor) -> File:
        row = await services.get_notice(notice_id, actor)
        path = issuing.pdf_file(row)
        if not path.is_file():
            raise Conflict(f"notice {notice_id}: stored PDF is missing")
        if actor.is_operator and row["status"] == "issued":
            await issuing.mark_delivered(notice_id, actor)  # first fetch by the addressee
        if actor.is_operator:
            await hooks.emit("downloaded", row, actor)  # a read receipt
        return File(
            path=path,
            media_type="application/pdf",
            filename=f"notice-{row['notice_type']}-{row['year']}-{row['seq']:04d}.pdf",
        )

    @post("/", guards=[require("notices.draft")], summary="New draft (content may be incomplete)")
    async def create(self, data: JSONBody[DraftIn], actor: CurrentActor) -> NoticeOut:
        services.refuse_typed_ranking(data.notice_type, data.content)
        row = await services.create_draft(
            actor,
            data.notice_type,
            data.operator_id,
            data.content,
            confidentiality.strip_override(data.source),
            override=data.override_reason,
        )
        return NoticeOut.of(row)

    @post(
        "/from-inspection/{inspection_id:int}",
        guards=[require("notices.draft")],
        summary="Draft a rectification notice from an inspection's findings",
    )
    async def from_inspection(
        self, inspection_id: Id, data: JSONBody[FromInspectionIn], actor: CurrentActor
    ) -> NoticeOut:
        row = await drafts.create_rectification_draft(
            inspection_id, actor, deadline=data.deadline, override=data.override_reason
        )
        return NoticeOut.of(row)

    @post(
        "/findings-report/from-inspection/{inspection_id:int}",
        guards=[require("notices.draft")],
        summary="Draft a findings report from a submitted inspection",
    )
    async def report_from_inspection(
        self, inspection_id: Id, actor: CurrentActor, data: JSONBody[OverrideIn | None] = None
    ) -> NoticeOut:
        override = data.override_reason if data is not None else None
        row = await drafts.create_findings_report_draft(inspection_id, actor, override=override)
        return NoticeOut.of(row)

    @patch(
        "/{notice_id:int}", guards=[require("notices.draft")], summary="Replace a draft's content"
    )
    async def edit(
        self, notice_id: Id, data: JSONBody[DraftPatch], actor: CurrentActor
    ) -> NoticeOut:
        return NoticeOut.of(await services.update_draft(notice_id, actor, data.content))

    @post("/{notice_id:int}/approve", guards=[require("notices.approve")], status_code=200)
    async def approve(self, notice_id: Id, actor: CurrentActor) -> NoticeOut:
        return NoticeOut.of(await services.approve(notice_id, actor))

    @post("/{notice_id:int}/reopen", guards=[require("notices.approve")], status_code=200)
    async def reopen(self, notice_id: Id, actor: CurrentActor) -> NoticeOut:
        return NoticeOut.of(await services.reopen(notice_id, actor))

    @post(
        "/{notice_id:int}/issue",
        guards=[require("notices.approve")],
        status_code=200,
        summary="Number, render, sign and store the notice",
    )
    async def issue(
        self, notice_id: Id, actor: CurrentActor, data: JSONBody[OverrideIn | None] = None
    ) -> NoticeOut:
        override = data.override_reason if data is not None else None
        return NoticeOut.of(await issuing.issue(notice_id, actor, override=override))

    @post("/{notice_id:int}/deliver", guards=[require("notices.draft")], status_code=200)
    async def deliver(self, notice_id: Id, actor: CurrentActor) -> NoticeOut:
        return NoticeOut.of(await issuing.mark_delivered(notice_id, actor))

    @post(
        "/{notice_id:int}/acknowledge",
        guards=[require("portal.respond")],
        status_code=200,
        summary="Acknowledge receipt (optional body: a comment)",
    )
    async def acknowledge(
        self, notice_id: Id, actor: CurrentActor, data: JSONBody[AcknowledgeIn | None] = None
    ) -> NoticeOut:
        comment = data.comment if data is not None else None
        return NoticeOut.of(await issuing.acknowledge(notice_id, actor, comment))

    @post("/{notice_id:int}/revoke", guards=[require("notices.approve")], status_code=200)
    async def revoke(
        self, notice_id: Id, data: JSONBody[RevokeIn], actor: CurrentActor
    ) -> NoticeOut:
        return NoticeOut.of(await issuing.revoke(notice_id, actor, data.reason))

    @post(
        "/{notice_id:int}/correct",
        guards=[require("notices.approve")],
        summary="Draft a corrected notice that supersedes this one when issued",
    )
    async def correct(self, notice_id: Id, actor: CurrentActor) -> NoticeOut:
        return NoticeOut.of(await issuing.create_correction(notice_id, actor))


class VerificationController(Controller):
    """Public: no login. Status and identifying data only, never content."""

    path = "/"
    tags = ["verification"]

    @get("/notices/verify/{token:str}", summary="Registry status of a notice (QR data)")
    async def by_token(self, token: Token) -> VerificationOut:
        return VerificationOut(**registry.public_view(await registry.by_token(token)))

    @post(
        "/notices/verify",
        status_code=200,
        summary="Verify a notice PDF (request body: the file, application/pdf)",
    )
    async def verify_file(self, request: Request[Any, Any, Any]) -> VerificationOut:
        body = await request.body()
        if not body:
            raise DomainError("send the PDF file as the request body", field="body")
        if len(body) > MAX_PDF_BYTES:
            raise DomainError(f"file larger than {MAX_PDF_BYTES} bytes", field="body")
        return VerificationOut(**(await registry.verify_file(body)).public())

    @get("/verify/{token:str}", media_type="text/html", summary="Verification page (QR target)")
    async def page(self, token: Token) -> Response[str]:
        record = await registry.by_token(token)
        # text/html: Litestar adds "; charset=utf-8"
        return Response(verification_page(registry.public_view(record)), media_type="text/html")


ROUTES = [NoticeController, VerificationController]
