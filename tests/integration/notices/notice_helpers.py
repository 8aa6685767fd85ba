"""Helpers for the notice integration tests: complete draft content per type."""

from __future__ import annotations

from typing import Any

from audit.notices import demo
from audit.notices.models import NoticeType
from tests.integration.plans.world import World, active_plan, unique_png


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


async def submitted_inspection(client: Any, world: World) -> int:
    """A submitted business-hall inspection of operator A that failed two items (tariffs, wait)."""
    plan = await active_plan(client, world, method="covert")
    h = world.cast.headers("inspector2")
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=h,
    )
    inspection = r.json()
    iid = inspection["id"]
    version = (
        await client.get(f"/checklists/versions/{inspection['checklist_version_id']}", headers=h)
    ).json()
    failing = {"environment.tariffs_posted", "handling.waiting_time"}
    for s in version["content"]["sections"]:
        for item in s["items"]:
            note = "等候47分钟" if item["id"] == "handling.waiting_time" else ""
            await client.put(
                f"/inspections/{iid}/items/{item['id']}",
                json={"result": "fail" if item["id"] in failing else "pass", "note": note},
                headers=h,
            )
    await client.post(
        f"/inspections/{iid}/items/environment.tariffs_posted/evidence",
        files={"file": ("board.png", unique_png("notice"))},
        data={"kind": "photo"},
        headers=h,
    )
    assert (await client.post(f"/inspections/{iid}/submit", headers=h)).status_code == 200
    return int(iid)
