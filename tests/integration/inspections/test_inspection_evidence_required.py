"""A failed item without its required evidence blocks submission; nothing is half-written."""

from __future__ import annotations

from typing import Any

from audit.domain.inspections.tables import Finding
from tests.integration.plans.world import PNG, World, active_plan, submit_confirmed


async def test_missing_evidence_blocks_submit_until_attached(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    h = world.cast.headers("inspector2")
    venue_id = world.venues["hall_hz"]["id"]
    inspection = (
        await client.post(
            f"/plans/{plan['id']}/inspections", json={"venue_id": venue_id}, headers=h
        )
    ).json()
    iid = inspection["id"]
    version = (
        await client.get(f"/checklists/versions/{inspection['checklist_version_id']}", headers=h)
    ).json()
    for section in version["content"]["sections"]:
        for item in section["items"]:
            result = "fail" if item["id"] == "environment.tariffs_posted" else "pass"
            r = await client.put(
                f"/inspections/{iid}/items/{item['id']}", json={"result": result}, headers=h
            )
            assert r.status_code == 200

    preview = (await client.get(f"/inspections/{iid}/score", headers=h)).json()
    assert preview["submittable"] is False
    assert preview["blockers"] == [
        "environment.tariffs_posted: failed without required evidence: photo"
    ]
    r = await client.post(f"/inspections/{iid}/submit", headers=h)
    assert r.status_code == 400
    assert "environment.tariffs_posted" in r.json()["detail"]
    after = (await client.get(f"/inspections/{iid}", headers=h)).json()
    assert after["status"] == "open" and after["score"] is None
    assert await Finding.count() == 0

    r = await client.post(
        f"/inspections/{iid}/items/environment.tariffs_posted/evidence",
        files={"file": ("board.png", PNG)},
        data={"kind": "photo"},
        headers=h,
    )
    assert r.status_code == 201
    done = await submit_confirmed(client, world, iid, "inspector2")
    assert done["score"] == "90.00"


async def test_unanswered_items_block_submit(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    h = world.cast.headers("inspector1")
    iid = (
        await client.post(
            f"/plans/{plan['id']}/inspections",
            json={"venue_id": world.venues["hall_hz"]["id"]},
            headers=h,
        )
    ).json()["id"]
    r = await client.post(f"/inspections/{iid}/submit", headers=h)
    assert r.status_code == 400 and "not answered" in r.json()["detail"]
