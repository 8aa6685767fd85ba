"""Helpers for the notice integration tests: complete draft content per type."""

from __future__ import annotations

from typing import Any

from audit.notices import demo
from audit.notices.models import NoticeType


def full_content(ntype: NoticeType) -> dict[str, Any]:
    model = demo.demo_content(ntype)
    if ntype == NoticeType.rectification:
        model = demo.rectification(long=False)
    return model.model_dump(mode="json")


async def issued_notice(
    cast: Any, operator: str = "a", ntype: NoticeType = NoticeType.rectification
) -> dict[str, Any]:
    from audit.domain.notices import issuing, services

    op = cast.operator_a if operator == "a" else cast.operator_b
    sup = cast.actor("supervisor")
    operator_id = None if ntype == NoticeType.public_notice else op["id"]
    draft = await services.create_draft(
        cast.actor("inspector1"), ntype, operator_id, full_content(ntype)
    )
    await services.approve(draft["id"], sup)
    return await issuing.issue(draft["id"], sup)
