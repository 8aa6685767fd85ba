"""Evidence files: metadata, download, seal, verify. Uploads go through inspection items."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.response import File

from audit.api import CurrentActor, Id
from audit.domain.accounts.guards import require
from audit.domain.evidence import services
from audit.domain.evidence.schemas import EvidenceOut, VerifyOut
from audit.domain.evidence.sniff import STORED_MEDIA_TYPES
from audit.errors import Conflict
from audit.openapi import serving


class EvidenceController(Controller):
    path = "/evidence"
    tags = ["evidence"]

    @get("/{evidence_id:int}", guards=[require("evidence.read")])
    async def get_evidence(self, evidence_id: Id, actor: CurrentActor) -> EvidenceOut:
        return EvidenceOut(**await services.get_visible(evidence_id, actor))

    @get("/{evidence_id:int}/content", guards=[require("evidence.read")], summary="Download the file",
         operation_class=serving(*STORED_MEDIA_TYPES))  # fmt: skip
    async def content(self, evidence_id: Id, actor: CurrentActor) -> File:
        row = await services.get_visible(evidence_id, actor)
        check = services.verify_row(row)
        if check["status"] != "ok":
            # Never serve bytes that are not the recorded evidence.
            raise Conflict(f"evidence {evidence_id} is {check['status']}; not served")
        return File(
            path=services.blob_file(row),
            media_type=row["media_type"],
            filename=row["original_name"] or row["sha256"],
        )

    @post(
        "/{evidence_id:int}/seal",
        guards=[require("evidence.seal")],
        status_code=200,
    )
    async def seal(self, evidence_id: Id, actor: CurrentActor) -> EvidenceOut:
        return EvidenceOut(**await services.seal_evidence(evidence_id, actor))

    @get(
        "/{evidence_id:int}/verify",
        guards=[require("evidence.read")],
        summary="Re-hash: ok|tampered|missing",
    )
    async def verify(self, evidence_id: Id, actor: CurrentActor) -> VerifyOut:
        return VerifyOut(**services.verify_row(await services.get_visible(evidence_id, actor)))


ROUTES = [EvidenceController]
