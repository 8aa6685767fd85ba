"""Evidence, sealing and drafting follow the visibility of the plan they belong to: an
inspector who is not on a plan cannot download, verify or seal its evidence, nor draft notices
from its inspections — 404, as for a missing record (issue 16 item 7)."""

from __future__ import annotations

from typing import Any

from tests.integration.plans.world import active_plan, build_world, unique_png


async def test_an_inspector_outside_the_plan_sees_none_of_its_work(client: Any, cast: Any) -> None:
    world = await build_world(cast)
    plan = await active_plan(
        client, world, method="covert", on_site=False, inspector_ids=[world.uid("inspector1")]
    )
    mine = cast.headers("inspector1")
    r = await client.post(
        f"/plans/{plan['id']}/inspections", json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=mine,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    r = await client.post(
        f"/inspections/{iid}/items/environment.clean/evidence",
        files={"file": ("a.png", unique_png("covert"))},
        data={"kind": "photo"},
        headers=mine,
    )
    assert r.status_code == 201, r.text
    eid = r.json()["evidence"][0]["id"] if "evidence" in r.json() else r.json()["id"]

    other = cast.headers("inspector2")
    for path in (f"/evidence/{eid}", f"/evidence/{eid}/content", f"/evidence/{eid}/verify"):
        assert (await client.get(path, headers=other)).status_code == 404, path
        assert (await client.get(path, headers=mine)).status_code == 200, path
        assert (await client.get(path, headers=cast.headers("analyst"))).status_code == 200
    assert (await client.post(f"/evidence/{eid}/seal", headers=other)).status_code == 404
    from audit.domain.evidence.services import get_evidence

    assert not (await get_evidence(eid))["sealed"]
    assert (await client.post(f"/evidence/{eid}/seal", headers=mine)).status_code == 200

    # drafting from the plan's inspection: not for an inspector who cannot see the plan
    r = await client.post(f"/notices/from-inspection/{iid}", json={}, headers=other)
    assert r.status_code == 404, r.text
    body = {"notice_type": "rectification", "operator_id": cast.operator_a["id"]}
    r = await client.post(
        "/notices", json={**body, "source": {"inspection_id": iid}}, headers=other
    )
    assert r.status_code == 404 and r.json()["field"] == "source", r.text
    r = await client.post(
        "/notices", json={**body, "source": {"evidence_ids": [eid]}}, headers=other
    )
    assert r.status_code == 404, r.text
