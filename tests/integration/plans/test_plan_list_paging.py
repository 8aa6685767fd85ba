"""Plan and inspection lists page through the records each role may see (the list pages and
the API use the same queries), in a bounded number of queries per page."""

from __future__ import annotations

from typing import Any

from audit.domain.inspections.access import list_inspections
from audit.domain.plans.access import list_plans, load_plan, plan_summaries
from tests.integration.plans.world import World, active_plan, completed_plan


async def test_plans_page_through_what_each_role_sees(client: Any, world: World) -> None:
    admin = world.cast.headers("admin")
    ids = []
    for n in range(3):
        body = world.plan_body(name=f"计划{n}")
        if n == 2:
            body["inspector_ids"] = [world.uid("inspector1"), world.uid("inspector2")]
        else:
            body = world.plan_body(
                name=f"计划{n}",
                venue_ids=[world.venues["hotline"]["id"]],
                checklist_version_ids=[world.versions["hotline"]["id"]],
                inspector_ids=[world.uid("inspector2")],
            )
        ids.append((await client.post("/plans", json=body, headers=admin)).json()["id"])
    sup = world.cast.actor("supervisor")
    assert [p["id"] for p in await list_plans(sup, limit=2, offset=1)] == ids[1:]
    rows, total = await plan_summaries(sup, limit=2)
    assert total == 3 and [r["id"] for r in rows] == [ids[2], ids[1]]  # newest first
    assert rows[0]["operator_name"] == world.cast.operator_a["name"]
    rows, total = await plan_summaries(world.cast.actor("inspector1"))
    assert total == 1 and [r["id"] for r in rows] == [ids[2]]
    r = await client.get("/plans?limit=1&offset=2", headers=admin)
    assert [p["id"] for p in r.json()] == [ids[2]]
    assert r.json()[0] == (await client.get(f"/plans/{ids[2]}", headers=admin)).json()
    assert (await list_plans(sup))[0] == await load_plan(ids[0])


async def test_inspections_page_through_what_each_role_may_read(client: Any, world: World) -> None:
    done = await completed_plan(client, world)  # one submitted inspection, not published
    other = await active_plan(client, world)
    r = await client.post(
        f"/plans/{other['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=world.cast.headers("inspector1"),
    )
    assert r.status_code == 201
    rows, total = await list_inspections(world.cast.actor("analyst"), newest_first=True)
    assert total == 2 and [r["plan_id"] for r in rows] == [other["id"], done["id"]]
    rows, total = await list_inspections(world.cast.actor("analyst"), status="open")
    assert total == 1 and rows[0]["plan_name"] == other["name"]
    # operator users read inspections only once the plan is published
    assert (await list_inspections(world.cast.actor("op_a")))[1] == 0
    sup = world.cast.headers("supervisor")
    assert (await client.post(f"/plans/{done['id']}/publish", headers=sup)).status_code == 200
    rows, total = await list_inspections(world.cast.actor("op_a"))
    assert total == 1 and rows[0]["plan_id"] == done["id"]
    assert (await list_inspections(world.cast.actor("op_b")))[1] == 0
    r = await client.get("/inspections?limit=1", headers=world.cast.headers("admin"))
    assert len(r.json()) == 1 and r.json()[0]["plan_id"] == done["id"]
