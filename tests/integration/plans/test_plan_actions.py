"""Which lifecycle actions each role may take in each state, and why not: one rule
(``plans.actions``) for the page's buttons and the API, which refuses with the same reason."""

from __future__ import annotations

from typing import Any

from audit.domain.plans.access import load_plan
from audit.domain.plans.actions import plan_actions
from tests.integration.plans.world import World, active_plan, submit_confirmed


def _allowed(actions: dict[str, Any]) -> set[str]:
    return {name for name, refusal in actions.items() if refusal is None}


async def test_what_each_role_may_do_with_a_draft(client: Any, world: World) -> None:
    r = await client.post("/plans", json=world.plan_body(), headers=world.cast.headers("admin"))
    plan = await load_plan(r.json()["id"])
    cast = world.cast
    sup = await plan_actions(plan, cast.actor("supervisor"))
    assert _allowed(sup) == {"edit", "approve"}
    assert sup["activate"] is not None and sup["activate"].status == 409
    assert "it is draft, not approved" in sup["activate"].reason
    admin = await plan_actions(plan, cast.actor("admin"))
    assert _allowed(admin) == {"edit"}  # admins approve plans, but not the one they created
    assert admin["approve"] is not None and admin["approve"].status == 403
    assert admin["approve"].reason.startswith("four eyes")
    for name in ("inspector1", "analyst"):
        refused = await plan_actions(plan, cast.actor(name))
        assert _allowed(refused) == set()
        assert {x.status for x in refused.values() if x} == {403}


async def test_an_on_site_plan_without_its_pair_cannot_be_approved(
    client: Any, world: World
) -> None:
    body = world.plan_body(inspector_ids=[])
    r = await client.post("/plans", json=body, headers=world.cast.headers("admin"))
    plan = await load_plan(r.json()["id"])
    refusal = (await plan_actions(plan, world.cast.actor("supervisor")))["approve"]
    assert refusal is not None and refusal.status == 400 and "Art. 7" in refusal.reason
    # the API refuses with the same words
    r = await client.post(f"/plans/{plan['id']}/approve", headers=world.cast.headers("supervisor"))
    assert r.status_code == 400 and refusal.reason in r.json()["detail"]
    assert r.json()["field"] == "inspector_ids"


async def test_complete_waits_for_every_inspection(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    sup = world.cast.actor("supervisor")

    async def complete_refusal() -> str | None:
        refusal = (await plan_actions(await load_plan(plan["id"]), sup))["complete"]
        return None if refusal is None else refusal.reason

    assert "no submitted inspection" in (await complete_refusal() or "")
    h = world.cast.headers("inspector1")
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=h,
    )
    iid = r.json()["id"]
    assert "open inspections" in (await complete_refusal() or "")
    version = (
        await client.get(f"/checklists/versions/{r.json()['checklist_version_id']}", headers=h)
    ).json()
    for section in version["content"]["sections"]:
        for item in section["items"]:
            await client.put(
                f"/inspections/{iid}/items/{item['id']}", json={"result": "pass"}, headers=h
            )
    await client.post(f"/inspections/{iid}/submit", headers=h)
    assert "second inspector" in (await complete_refusal() or "")
    await client.post(f"/inspections/{iid}/confirm", headers=world.cast.headers("inspector2"))
    assert await complete_refusal() is None


async def test_the_api_lists_the_same_answers_it_enforces(client: Any, world: World) -> None:
    r = await client.post("/plans", json=world.plan_body(), headers=world.cast.headers("admin"))
    pid = r.json()["id"]
    for who in ("supervisor", "admin"):
        listed = (await client.get(f"/plans/{pid}/actions", headers=world.cast.headers(who))).json()
        assert [a["action"] for a in listed] == [
            "edit", "approve", "activate", "complete", "publish"
        ]  # fmt: skip
        for entry in listed:
            if entry["action"] == "edit" or entry["status_code"] == 403:
                continue  # edit is a PATCH; 403 comes from the route guard first
            r = await client.post(
                f"/plans/{pid}/{entry['action']}", headers=world.cast.headers(who)
            )
            if entry["allowed"]:
                assert r.status_code == 200, r.text
                break  # the plan moved on; the rest were listed for the old state
            assert r.status_code == entry["status_code"], r.text
            assert entry["reason"] in r.json()["detail"]
    r = await client.get(f"/plans/{pid}/actions", headers=world.cast.headers("op_a"))
    assert r.status_code in (403, 404)


async def test_a_completed_plan_can_be_published(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    h = world.cast.headers("inspector1")
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=h,
    )
    iid = r.json()["id"]
    version = (
        await client.get(f"/checklists/versions/{r.json()['checklist_version_id']}", headers=h)
    ).json()
    for section in version["content"]["sections"]:
        for item in section["items"]:
            await client.put(
                f"/inspections/{iid}/items/{item['id']}", json={"result": "pass"}, headers=h
            )
    await submit_confirmed(client, world, iid)
    sup = world.cast.headers("supervisor")
    assert (await client.post(f"/plans/{plan['id']}/complete", headers=sup)).status_code == 200
    listed = (await client.get(f"/plans/{plan['id']}/actions", headers=sup)).json()
    assert [a["action"] for a in listed if a["allowed"]] == ["publish"]
