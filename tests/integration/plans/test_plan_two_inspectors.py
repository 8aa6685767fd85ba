"""Seed 004 Art. 7: on-site checks are made by two or more inspectors."""

from __future__ import annotations

from typing import Any

from audit.domain.plans.tables import AuditPlan
from tests.integration.plans.world import World


async def test_on_site_plan_with_one_inspector_is_refused(client: Any, world: World) -> None:
    body = world.plan_body(inspector_ids=[world.uid("inspector1")])
    r = await client.post("/plans", json=body, headers=world.cast.headers("admin"))
    assert r.status_code == 400
    assert r.json()["field"] == "inspector_ids"
    assert "at least two inspectors" in r.json()["detail"]
    assert await AuditPlan.count() == 0  # nothing half-written


async def test_on_site_plan_with_two_inspectors_is_accepted(client: Any, world: World) -> None:
    r = await client.post("/plans", json=world.plan_body(), headers=world.cast.headers("admin"))
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["on_site"] is True  # a business hall is in scope
    assert plan["inspector_ids"] == sorted([world.uid("inspector1"), world.uid("inspector2")])


async def test_dropping_to_one_inspector_is_refused(client: Any, world: World) -> None:
    headers = world.cast.headers("admin")
    plan = (await client.post("/plans", json=world.plan_body(), headers=headers)).json()
    r = await client.patch(
        f"/plans/{plan['id']}", json={"inspector_ids": [world.uid("inspector2")]}, headers=headers
    )
    assert r.status_code == 400
    again = (await client.get(f"/plans/{plan['id']}", headers=headers)).json()
    assert len(again["inspector_ids"]) == 2


async def test_remote_plan_may_have_one_inspector_but_not_none_at_approval(
    client: Any, world: World
) -> None:
    headers = world.cast.headers("admin")
    body = world.plan_body(
        venue_ids=[world.venues["hotline"]["id"]],
        checklist_version_ids=[world.versions["hotline"]["id"]],
        inspector_ids=[],
    )
    plan = (await client.post("/plans", json=body, headers=headers)).json()
    assert plan["on_site"] is False
    r = await client.post(f"/plans/{plan['id']}/approve", headers=world.cast.headers("supervisor"))
    assert r.status_code == 400 and r.json()["field"] == "inspector_ids"
    r = await client.patch(
        f"/plans/{plan['id']}", json={"inspector_ids": [world.uid("inspector1")]}, headers=headers
    )
    assert r.status_code == 200
    r = await client.post(f"/plans/{plan['id']}/approve", headers=world.cast.headers("supervisor"))
    assert r.status_code == 200 and r.json()["status"] == "approved"


async def test_a_user_who_is_not_an_inspector_cannot_be_assigned(client: Any, world: World) -> None:
    body = world.plan_body(inspector_ids=[world.uid("inspector1"), world.uid("analyst")])
    r = await client.post("/plans", json=body, headers=world.cast.headers("admin"))
    assert r.status_code == 400
    assert r.json()["field"] == "inspector_ids[1]"
