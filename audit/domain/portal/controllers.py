"""Portal API: the operator's inbox and findings, rectification reports and disputes; the
regulator's dispute decisions, verification, closing and closing letters. Thin: parse,
authorise by role, call the services (which check ownership and state)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, patch, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody, QueryParameter
from litestar.response import File

from audit.api import CurrentActor, Id, Limit, Offset
from audit.domain.accounts.guards import require
from audit.domain.evidence import services as evidence
from audit.domain.evidence.sniff import STORED_MEDIA_TYPES
from audit.domain.notices.schemas import NoticeOut
from audit.domain.portal import operator_side, review, verification, views
from audit.domain.portal.operator_side import Upload
from audit.domain.portal.schemas import (
    AmendForm,
    CloseIn,
    DecisionIn,
    DisputeForm,
    DisputeOut,
    FindingOut,
    PortalNoticeDetail,
    PortalNoticeOut,
    RectificationForm,
    RectificationOut,
    StaffFindingOut,
    VerificationIn,
)
from audit.domain.portal.states import STATES
from audit.errors import Conflict, NotFound
from audit.openapi import serving

Multipart = Body(media_type=RequestEncodingType.MULTI_PART)
OptId = Annotated[int | None, QueryParameter(ge=1, le=2_147_483_647)]


def _finding(row: dict[str, Any], operator: bool) -> FindingOut:
    return FindingOut(**row) if operator else StaffFindingOut(**row)


async def _uploads(files: list[Any]) -> list[Upload]:
    return [Upload(f.filename, await f.read()) for f in files if f is not None]


class PortalController(Controller):
    path = "/portal"
    tags = ["portal"]

    @get(
        "/notices",
        guards=[require("portal.read")],
        summary="Inbox: notices addressed to the operator",
    )
    async def inbox(
        self,
        actor: CurrentActor,
        operator_id: OptId = None,
        include_ended: Annotated[bool, QueryParameter()] = False,
    ) -> list[PortalNoticeOut]:
        rows = await views.inbox(actor, operator_id, include_ended)
        return [PortalNoticeOut(**r) for r in rows]

    @get(
        "/notices/{notice_id:int}",
        guards=[require("portal.read")],
        summary="A notice with its findings",
    )
    async def notice(self, notice_id: Id, actor: CurrentActor) -> PortalNoticeDetail:
        return PortalNoticeDetail(**await views.notice_detail(notice_id, actor))

    @get(
        "/findings",
        guards=[require("portal.read")],
        summary="Tracked findings of notices (operator users: their own)",
    )
    async def list_findings(
        self,
        actor: CurrentActor,
        notice_id: OptId = None,
        operator_id: OptId = None,
        state_is: Annotated[
            str | None, QueryParameter(name="state", max_length=24, enum=list(STATES))
        ] = None,
        limit: Limit = 200,
        offset: Offset = 0,
    ) -> list[FindingOut]:
        rows = await views.list_findings(
            actor,
            notice_id=notice_id,
            state=state_is,
            operator_id=operator_id,
            limit=limit,
            offset=offset,
        )
        return [_finding(r, actor.is_operator) for r in rows]


class FindingController(Controller):
    path = "/findings"
    tags = ["findings"]

    @get("/{finding_id:int}", guards=[require("portal.read")], summary="A finding with its history")
    async def get_finding(self, finding_id: Id, actor: CurrentActor) -> FindingOut:
        return _finding(await views.get_finding(finding_id, actor), actor.is_operator)

    @post(
        "/{finding_id:int}/rectifications",
        guards=[require("portal.respond")],
        summary="Report rectification (multipart: description, done_on, files)",
    )
    async def report(
        self,
        finding_id: Id,
        actor: CurrentActor,
        data: Annotated[RectificationForm, Multipart],
    ) -> RectificationOut:
        rect = await operator_side.report_rectification(
            finding_id, actor, data.description, data.done_on, await _uploads(data.files)
        )
        return RectificationOut(
            **next(
                r
                for r in (await views.get_finding(finding_id, actor))["rectifications"]
                if r["id"] == rect["id"]
            )
        )

    @post(
        "/{finding_id:int}/disputes",
        guards=[require("portal.respond")],
        summary="Dispute a finding within the window (multipart: reason, proposed_outcome, files)",
    )
    async def dispute(
        self, finding_id: Id, actor: CurrentActor, data: Annotated[DisputeForm, Multipart]
    ) -> DisputeOut:
        made = await operator_side.file_dispute(
            finding_id, actor, data.reason, data.proposed_outcome, await _uploads(data.files)
        )
        return DisputeOut(
            **next(
                d
                for d in (await views.get_finding(finding_id, actor))["disputes"]
                if d["id"] == made["id"]
            )
        )

    @post(
        "/{finding_id:int}/verification",
        guards=[require("portal.decide")],
        status_code=200,
        summary="Propose or start the verification (re-probe or re-inspection)",
    )
    async def verify(
        self, finding_id: Id, actor: CurrentActor, data: JSONBody[VerificationIn]
    ) -> StaffFindingOut:
        if data.action == "start":
            await verification.start(
                finding_id,
                actor,
                margin=data.margin,
                window_days=data.window_days,
                inspector_ids=data.inspector_ids,
            )
        else:
            from audit.domain.portal import items

            item = await items.load(finding_id)
            await verification.propose(item, actor)
        return StaffFindingOut(**await views.get_finding(finding_id, actor))

    @post(
        "/{finding_id:int}/close",
        guards=[require("portal.decide")],
        status_code=200,
        summary="Close a finding with a written reason",
    )
    async def close(
        self, finding_id: Id, actor: CurrentActor, data: JSONBody[CloseIn]
    ) -> StaffFindingOut:
        await review.close_item(finding_id, actor, data.reason)
        return StaffFindingOut(**await views.get_finding(finding_id, actor))

    @get(
        "/{finding_id:int}/files/{evidence_id:int}/content",
        guards=[require("portal.read")],
        summary="A file attached to the finding's rectification or dispute",
        operation_class=serving(*STORED_MEDIA_TYPES),
    )
    async def file(self, finding_id: Id, evidence_id: Id, actor: CurrentActor) -> File:
        view = await views.get_finding(finding_id, actor)
        attached = {f["id"] for r in view["rectifications"] + view["disputes"] for f in r["files"]}
        if evidence_id not in attached:
            raise NotFound(f"file {evidence_id} not found")
        row = await evidence.get_evidence(evidence_id)
        if evidence.verify_row(row)["status"] != "ok":
            raise Conflict(f"file {evidence_id} failed its integrity check; not served")
        return File(
            path=evidence.blob_file(row),
            media_type=row["media_type"],
            filename=row["original_name"] or row["sha256"],
        )


class RectificationController(Controller):
    path = "/rectifications"
    tags = ["findings"]

    @patch(
        "/{rectification_id:int}",
        guards=[require("portal.respond")],
        summary="Amend a report until verification starts (multipart)",
    )
    async def amend(
        self, rectification_id: Id, actor: CurrentActor, data: Annotated[AmendForm, Multipart]
    ) -> RectificationOut:
        rect = await operator_side.amend_rectification(
            rectification_id, actor, data.description, data.done_on, await _uploads(data.files)
        )
        view = await views.get_finding(rect["item_id"], actor)
        return RectificationOut(**next(r for r in view["rectifications"] if r["id"] == rect["id"]))


class DisputeController(Controller):
    path = "/disputes"
    tags = ["findings"]

    @get("/", guards=[require("portal.staff")], summary="Disputes (default: pending)")
    async def list_disputes(
        self,
        actor: CurrentActor,
        status: Annotated[
            str, QueryParameter(enum=["pending", "upheld", "overturned", "adjusted", "all"])
        ] = "pending",
    ) -> list[DisputeOut]:
        return [DisputeOut(**d) for d in await views.list_disputes(status)]

    @post(
        "/{dispute_id:int}/decision",
        guards=[require("portal.decide")],
        status_code=200,
        summary="Uphold, overturn or adjust (not by who recorded the finding)",
    )
    async def decide(
        self, dispute_id: Id, actor: CurrentActor, data: JSONBody[DecisionIn]
    ) -> DisputeOut:
        decided = await review.decide_dispute(
            dispute_id, actor, data.decision, data.reason, data.result, data.note
        )
        view = await views.get_finding(decided["item_id"], actor)
        return DisputeOut(**next(d for d in view["disputes"] if d["id"] == dispute_id))


class ClosingController(Controller):
    path = "/notices"
    tags = ["notices"]

    @post(
        "/{notice_id:int}/closing-letter",
        guards=[require("portal.decide")],
        summary="Issue the signed closing letter once every finding is closed",
    )
    async def closing_letter(self, notice_id: Id, actor: CurrentActor) -> NoticeOut:
        return NoticeOut.of(await review.issue_closing_letter(notice_id, actor))


ROUTES = [
    PortalController,
    FindingController,
    RectificationController,
    DisputeController,
    ClosingController,
]
