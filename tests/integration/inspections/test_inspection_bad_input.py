"""Invalid transitions and bad input answer 4xx with a clear message; nothing is written."""

from __future__ import annotations

from typing import Any

from audit.domain.inspections.tables import Inspection, ItemResult
from tests.integration.plans.world import World, active_plan, completed_plan


async def test_inspection_needs_an_active_plan_and_a_sampled_venue(
    client: Any, world: World
) -> None:
    h = world.cast.headers("inspector1")
    draft = (
        await client.post("/plans", json=world.plan_body(), headers=world.cast.headers("admin"))
    ).json()
    r = await client.post(
        f"/plans/{draft['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=h,
    )
    assert r.status_code == 409 and "draft" in r.json()["detail"]
    plan = await active_plan(client, world)
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hall_nb"]["id"]},
        headers=h,
    )
    assert r.status_code == 400 and r.json()["field"] == "venue_id"
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={
            "venue_id": world.venues["hall_hz"]["id"],
            "checklist_version_id": world.versions["hotline"]["id"],
        },
        headers=h,
    )
    assert r.status_code == 400 and r.json()["field"] == "checklist_version_id"
    assert await Inspection.count() == 0


async def test_bad_answers(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    h = world.cast.headers("inspector1")
    iid = (
        await client.post(
            f"/plans/{plan['id']}/inspections",
            json={"venue_id": world.venues["hall_hz"]["id"]},
            headers=h,
        )
    ).json()["id"]
    r = await client.put(
        f"/inspections/{iid}/items/no.such.item", json={"result": "pass"}, headers=h
    )
    assert r.status_code == 404 and "no.such.item" in r.json()["detail"]
    r = await client.put(
        f"/inspections/{iid}/items/environment.clean", json={"result": "na"}, headers=h
    )
    assert r.status_code == 400 and "N/A" in r.json()["detail"]
    r = await client.put(
        f"/inspections/{iid}/items/environment.clean", json={"result": "maybe"}, headers=h
    )
    assert r.status_code == 400
    assert await ItemResult.count() == 0
    # not assigned to this plan / not allowed to record at all
    body = {"result": "pass"}
    assert (
        await client.put(
            f"/inspections/{iid}/items/environment.clean",
            json=body,
            headers=world.cast.headers("analyst"),
        )
    ).status_code == 403
    assert (
        await client.put(
            f"/inspections/{iid}/items/environment.clean",
            json=body,
            headers=world.cast.headers("op_a"),
        )
    ).status_code == 403
    assert await ItemResult.count() == 0


async def test_recording_on_a_submitted_inspection_is_refused(client: Any, world: World) -> None:
    plan = await completed_plan(client, world)
    admin = world.cast.headers("admin")
    [inspection] = (await client.get(f"/inspections?plan_id={plan['id']}", headers=admin)).json()
    before = (await client.get(f"/inspections/{inspection['id']}", headers=admin)).json()
    r = await client.put(
        f"/inspections/{inspection['id']}/items/environment.clean",
        json={"result": "fail", "note": "changed my mind"},
        headers=world.cast.headers("inspector1"),
    )
    assert r.status_code == 409 and "submitted" in r.json()["detail"]
    r = await client.post(
        f"/inspections/{inspection['id']}/submit", headers=world.cast.headers("inspector1")
    )
    assert r.status_code == 409
    assert (await client.get(f"/inspections/{inspection['id']}", headers=admin)).json() == before
