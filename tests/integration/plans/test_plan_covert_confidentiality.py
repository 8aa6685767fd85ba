"""Seed 004 Art. 12: covert plans, their venues and results are invisible to operator users
until published; inspectors see the plans they are assigned to."""

from __future__ import annotations

from typing import Any

from tests.integration.plans.world import World, active_plan, completed_plan


async def _visible(client: Any, world: World, who: str, plan_id: int) -> bool:
    headers = world.cast.headers(who)
    listed = plan_id in [p["id"] for p in (await client.get("/plans", headers=headers)).json()]
    r = await client.get(f"/plans/{plan_id}", headers=headers)
    assert (r.status_code == 200) == listed, (who, r.status_code, listed)
    assert r.status_code in (200, 404)
    return listed


async def test_covert_plan_hidden_from_operator_until_published(client: Any, world: World) -> None:
    plan = await completed_plan(client, world, method="covert")
    pid = plan["id"]
    assert not await _visible(client, world, "op_a", pid)
    assert not await _visible(client, world, "op_b", pid)
    for path in (f"/inspections?plan_id={pid}", f"/findings?plan_id={pid}"):
        assert (await client.get(path, headers=world.cast.headers("op_a"))).json() == []
    inspections = (
        await client.get(f"/inspections?plan_id={pid}", headers=world.cast.headers("admin"))
    ).json()
    r = await client.get(f"/inspections/{inspections[0]['id']}", headers=world.cast.headers("op_a"))
    assert r.status_code == 404

    r = await client.post(f"/plans/{pid}/publish", headers=world.cast.headers("supervisor"))
    assert r.status_code == 200
    assert await _visible(client, world, "op_a", pid)
    assert not await _visible(client, world, "op_b", pid)  # another operator: never
    r = await client.get(f"/inspections/{inspections[0]['id']}", headers=world.cast.headers("op_a"))
    assert r.status_code == 200 and r.json()["score"] == "100.00"


async def test_open_plan_visible_to_its_operator_once_approved(client: Any, world: World) -> None:
    headers = world.cast.headers("admin")
    draft = (await client.post("/plans", json=world.plan_body(), headers=headers)).json()
    assert not await _visible(client, world, "op_a", draft["id"])
    plan = await active_plan(client, world)
    assert await _visible(client, world, "op_a", plan["id"])
    assert not await _visible(client, world, "op_b", plan["id"])


async def test_inspectors_see_only_plans_they_are_assigned_to(client: Any, world: World) -> None:
    headers = world.cast.headers("admin")
    body = world.plan_body(
        venue_ids=[world.venues["hotline"]["id"]],
        checklist_version_ids=[world.versions["hotline"]["id"]],
        inspector_ids=[world.uid("inspector1")],
        method="covert",
    )
    pid = (await client.post("/plans", json=body, headers=headers)).json()["id"]
    assert await _visible(client, world, "inspector1", pid)
    assert not await _visible(client, world, "inspector2", pid)
    assert await _visible(client, world, "analyst", pid)
