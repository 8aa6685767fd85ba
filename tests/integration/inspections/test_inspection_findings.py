"""Each failed item becomes a finding (item, severity, evidence, inspector, time); operators
see findings only once the plan is published, and only their own."""

from __future__ import annotations

from typing import Any

from audit.domain.auditlog.services import entries
from audit.domain.inspections.findings import list_findings
from tests.integration.plans.world import PNG, World, active_plan, submit_confirmed


async def test_failed_items_become_findings(client: Any, world: World) -> None:
    plan = await active_plan(client, world, method="covert")
    h = world.cast.headers("inspector2")
    inspection = (
        await client.post(
            f"/plans/{plan['id']}/inspections",
            json={"venue_id": world.venues["hall_hz"]["id"]},
            headers=h,
        )
    ).json()
    iid = inspection["id"]
    version = (
        await client.get(f"/checklists/versions/{inspection['checklist_version_id']}", headers=h)
    ).json()
    failing = {"environment.tariffs_posted", "handling.waiting_time"}
    for s in version["content"]["sections"]:
        for item in s["items"]:
            result = "fail" if item["id"] in failing else "pass"
            note = "等候47分钟" if item["id"] == "handling.waiting_time" else ""
            await client.put(
                f"/inspections/{iid}/items/{item['id']}",
                json={"result": result, "note": note},
                headers=h,
            )
    ev = (
        await client.post(
            f"/inspections/{iid}/items/environment.tariffs_posted/evidence",
            files={"file": ("board.png", PNG)},
            data={"kind": "photo"},
            headers=h,
        )
    ).json()
    await submit_confirmed(client, world, iid, "inspector2")

    found = (
        await client.get(f"/findings?plan_id={plan['id']}", headers=world.cast.headers("analyst"))
    ).json()
    assert {f["item_id"] for f in found} == failing
    tariff = next(f for f in found if f["item_id"] == "environment.tariffs_posted")
    assert tariff["severity"] == "critical" and tariff["deduction"] == "10"
    assert tariff["text_zh"] == "公布资费标准"
    assert tariff["source"]["seed"] == "004_82a5fe0d984026c6.txt"
    assert [e["id"] for e in tariff["evidence"]] == [ev["id"]]
    assert tariff["evidence"][0]["sealed"] is True
    assert tariff["inspector_id"] == world.uid("inspector2") and tariff["found_at"]
    assert tariff["operator_id"] == world.cast.operator_a["id"]
    wait = next(f for f in found if f["item_id"] == "handling.waiting_time")
    assert wait["note"] == "等候47分钟"

    assert await list_findings(world.cast.actor("op_a"), plan_id=plan["id"]) == []
    sup = world.cast.headers("supervisor")
    assert (await client.post(f"/plans/{plan['id']}/complete", headers=sup)).status_code == 200
    assert (await client.post(f"/plans/{plan['id']}/publish", headers=sup)).status_code == 200
    assert len(await list_findings(world.cast.actor("op_a"), plan_id=plan["id"])) == 2
    assert await list_findings(world.cast.actor("op_b")) == []
    r = await client.get("/findings", headers=world.cast.headers("op_b"))
    assert r.status_code == 200 and r.json() == []

    # every write is in the audit log, with who did it
    log = await entries(entity="inspection", entity_id=str(iid), limit=1000)
    actions = {e["action"] for e in log}
    assert actions == {
        "inspection.open",
        "inspection.answer",
        "inspection.evidence_attach",
        "inspection.submit",
        "inspection.confirm",  # on site: the second inspector (seed 004 Art. 7)
    }
    confirm = [e for e in log if e["action"] == "inspection.confirm"]
    assert [e["actor_id"] for e in confirm] == [world.uid("inspector1")]
    assert {e["actor_id"] for e in log if e not in confirm} == {world.uid("inspector2")}
    sealed = await entries(entity="evidence", entity_id=str(ev["id"]))
    assert [e["action"] for e in sealed] == ["evidence.seal", "evidence.upload"]
