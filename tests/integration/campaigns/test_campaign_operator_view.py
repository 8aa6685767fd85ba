"""Operator users never learn how their operator is probed — no seed, caller IDs, windows,
schedule or targets — not even for an open plan; results only once the plan is published
(issue 16 item 5; confidentiality rules 2 and 3 in audit/domain/plans/confidentiality.py)."""

from typing import Any

from campaign_live import campaign_body

SECRETS = ("+861055550000", '"seed"', '"windows"', "caller_id", "scheduled_at", "spec")


async def test_operator_sees_no_schedule_even_on_an_open_plan(
    client: Any, plan_setup: dict[str, Any]
) -> None:
    from audit.domain.plans.tables import AuditPlan

    cast = plan_setup["cast"]
    insp = cast.headers("inspector1")
    body = campaign_body(plan_setup, runs=3, seconds=3600)
    r = await client.post("/campaigns", json=body, headers=insp)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = await client.post(
        f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=insp
    )
    assert r.status_code == 200, r.text
    plan_id = plan_setup["plan_id"]
    await AuditPlan.update({AuditPlan.method: "open", AuditPlan.sample_seed: "424242"}).where(
        AuditPlan.id == plan_id
    )
    op = cast.headers("op_a")
    r = await client.get(f"/campaigns/{cid}", headers=op)
    assert r.status_code == 200, r.text  # an open plan's campaign exists for the operator
    assert r.json()["status"] == "scheduled" and r.json()["plan"] == plan_id
    listed = await client.get("/campaigns", headers=op)
    assert [c["id"] for c in listed.json()] == [cid]
    for text in (r.text, listed.text):
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, (leaked, text)
    # what is still to come is not a result: progress and statistics wait for publication
    assert (await client.get(f"/campaigns/{cid}/progress", headers=op)).status_code == 404
    assert (await client.get(f"/campaigns/{cid}/statistics", headers=op)).status_code == 404
    assert (await client.get(f"/campaigns/{cid}/runs", headers=op)).status_code == 403
    plan = (await client.get(f"/plans/{plan_id}", headers=op)).json()
    assert plan["sample_seed"] is None and plan["inspector_ids"] == []
    # staff still see everything
    staff = (await client.get(f"/campaigns/{cid}", headers=insp)).json()
    assert staff["spec"]["seed"] == 11 and staff["spec"]["caller_ids"] == ["+861055550000"]
    assert (await client.get(f"/plans/{plan_id}", headers=insp)).json()["sample_seed"] == "424242"

    # once published, the results are the operator's to read; the schedule still is not
    await AuditPlan.update({AuditPlan.status: "published"}).where(AuditPlan.id == plan_id)
    r = await client.get(f"/campaigns/{cid}/statistics", headers=op)
    assert r.status_code == 200, r.text
    assert (await client.get(f"/campaigns/{cid}/progress", headers=op)).status_code == 200
    r = await client.get(f"/campaigns/{cid}", headers=op)
    assert not [s for s in SECRETS if s in r.text], r.text
