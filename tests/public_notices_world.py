"""Notices in every state for the public register tests (not a test module)."""

from __future__ import annotations

import datetime as dt
from typing import Any


async def notices_in_every_state(cast: Any) -> dict[str, dict[str, Any]]:
    from audit.domain.notices import issuing, services
    from audit.notices import demo

    ins, sup = cast.actor("inspector1"), cast.actor("supervisor")
    content = demo.rectification(long=False).model_dump(mode="json")
    content["deadline"] = (dt.date.today() + dt.timedelta(days=20)).isoformat()

    async def issued(op: dict[str, Any]) -> dict[str, Any]:
        d = await services.create_draft(ins, "rectification", op["id"], content)
        await services.approve(d["id"], sup)
        return await issuing.issue(d["id"], sup)

    out = {
        "draft": await services.create_draft(ins, "rectification", cast.operator_a["id"], content),
        "issued_a": await issued(cast.operator_a),
        "issued_b": await issued(cast.operator_b),
        "revoked": await issued(cast.operator_a),
    }
    approved = await services.create_draft(ins, "rectification", cast.operator_b["id"], content)
    out["approved"] = await services.approve(approved["id"], sup)
    out["revoked"] = await issuing.revoke(out["revoked"]["id"], sup, "发错对象")
    return out
