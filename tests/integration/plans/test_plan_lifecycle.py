"""draft → approved → active → completed → published, with the supervisor approving."""

from __future__ import annotations

from typing import Any

from audit.domain.auditlog.services import entries
from tests.integration.plans.world import World


async def test_transitions_in_order_and_twice_is_refused(client: Any, world: World) -> None:
    cast = world.cast
    plan = (
        await client.post("/plans", json=world.plan_body(), headers=cast.headers("admin"))
    ).json()
    pid = plan["id"]
    assert plan["status"] == "draft"
    r = await client.post(f"/plans/{pid}/activate", headers=cast.headers("supervisor"))
    assert r.status_code == 409
    r = await client.post(f"/plans/{pid}/approve", headers=cast.headers("supervisor"))
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["approved_by_id"] == world.uid("supervisor")
    r = await client.post(f"/plans/{pid}/approve", headers=cast.headers("supervisor"))
    assert r.status_code == 409 and "approved, not draft" in r.json()["detail"]
    r = await client.patch(f"/plans/{pid}", json={"name": "改名"}, headers=cast.headers("admin"))
    assert r.status_code == 409
    r = await client.post(f"/plans/{pid}/activate", headers=cast.headers("supervisor"))
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = await client.post(f"/plans/{pid}/complete", headers=cast.headers("supervisor"))
    assert r.status_code == 409 and "no submitted inspection" in r.json()["detail"]
    actions = [e["action"] for e in await entries(entity="audit_plan", entity_id=str(pid))]
    assert actions == ["plan.activate", "plan.approve", "plan.create"]


async def test_only_the_supervisor_approves(client: Any, world: World) -> None:
    cast = world.cast
    pid = (
        await client.post("/plans", json=world.plan_body(), headers=cast.headers("admin"))
    ).json()["id"]
    for name in ("admin", "inspector1", "analyst", "op_a"):
        r = await client.post(f"/plans/{pid}/approve", headers=cast.headers(name))
        assert r.status_code in (403, 404), name
    r = await client.get(f"/plans/{pid}", headers=cast.headers("admin"))
    assert r.json()["status"] == "draft"


async def test_analysts_read_but_do_not_write(client: Any, world: World) -> None:
    cast = world.cast
    pid = (
        await client.post("/plans", json=world.plan_body(), headers=cast.headers("admin"))
    ).json()["id"]
    assert (await client.get(f"/plans/{pid}", headers=cast.headers("analyst"))).status_code == 200
    r = await client.post("/plans", json=world.plan_body(), headers=cast.headers("analyst"))
    assert r.status_code == 403
    r = await client.patch(f"/plans/{pid}", json={"name": "x"}, headers=cast.headers("analyst"))
    assert r.status_code == 403


async def test_bad_plan_input_names_the_field(client: Any, world: World) -> None:
    headers = world.cast.headers("admin")
    cases = [
        ({"venue_ids": [world.venues["b_hall"]["id"]]}, "venue_ids[0]"),
        ({"checklist_version_ids": [world.versions["hotline"]["id"]]}, "checklist_version_ids"),
        ({"checklist_version_ids": [999_999]}, "checklist_version_ids[0]"),
        ({"window_end": "2026-02-01T00:00:00+00:00"}, "window_end"),
        ({"sampling": "targeted", "venue_ids": []}, "venue_ids"),
    ]
    for overrides, field in cases:
        r = await client.post("/plans", json=world.plan_body(**overrides), headers=headers)
        assert r.status_code == 400, (overrides, r.text)
        assert r.json().get("field") == field, r.json()
    r = await client.post("/plans", json={**world.plan_body(), "colour": "red"}, headers=headers)
    assert r.status_code == 400
    assert (await client.get("/plans", headers=headers)).json() == []
