"""Seed 004 Art. 7: on site, inspectors work in pairs. One assigned inspector submits, the
second confirms; both are recorded (who, when) and logged; until then nothing is scored."""

from __future__ import annotations

from typing import Any

from audit.domain.auditlog.services import entries
from audit.domain.inspections.access import answers_of
from audit.domain.inspections.services import answers_for_scoring
from audit.domain.inspections.tables import Finding
from audit.domain.plans.checklist_versions import pinned_checklist
from checklists.scoring import score_answers
from tests.integration.plans.world import PNG, World, active_plan


async def _answered(
    client: Any, world: World, plan: dict[str, Any], venue: str, fail_first: bool = True
) -> int:
    """An open inspection with every item answered (the first fails, with its photo)."""
    h = world.cast.headers("inspector1")
    r = await client.post(
        f"/plans/{plan['id']}/inspections", json={"venue_id": world.venues[venue]["id"]}, headers=h
    )
    assert r.status_code == 201, r.text
    inspection = r.json()
    version = await pinned_checklist(inspection["checklist_version_id"])
    first = version.items()[0]
    for item in version.items():
        result = "fail" if fail_first and item.id == first.id else "pass"
        body = {"result": result, "note": "现场记录" if result == "fail" else ""}
        r = await client.put(
            f"/inspections/{inspection['id']}/items/{item.id}", json=body, headers=h
        )
        assert r.status_code == 200, r.text
    if fail_first:
        for kind in first.evidence_required:
            if kind == "note":
                continue
            r = await client.post(
                f"/inspections/{inspection['id']}/items/{first.id}/evidence",
                files={"file": ("e.png", PNG + kind.encode())},
                data={"kind": kind},
                headers=h,
            )
            assert r.status_code == 201, r.text
    return int(inspection["id"])


async def test_on_site_submission_waits_for_the_second_inspector(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    assert plan["on_site"] is True
    iid = await _answered(client, world, plan, "hall_hz")
    i1, i2 = world.cast.headers("inspector1"), world.cast.headers("inspector2")

    r = await client.post(f"/inspections/{iid}/submit", headers=i1)
    assert r.status_code == 200, r.text
    pending = r.json()
    assert pending["status"] == "pending"
    assert pending["submitted_by_id"] == world.uid("inspector1")
    assert pending["submitted_by_name"] == "inspector1" and pending["submitted_at"]
    assert pending["score"] is None and pending["confirmed_by_id"] is None
    assert await Finding.count() == 0

    # pending is read only, and the plan cannot be completed around it
    r = await client.put(f"/inspections/{iid}/items/environment.clean", json={"result": "fail"},
                         headers=i1)  # fmt: skip
    assert r.status_code == 409
    r = await client.post(f"/plans/{plan['id']}/complete", headers=world.cast.headers("supervisor"))
    assert r.status_code == 409 and "confirmation" in r.json()["detail"]

    # the submitter cannot confirm their own submission
    r = await client.post(f"/inspections/{iid}/confirm", headers=i1)
    assert r.status_code == 403 and "second inspector" in r.json()["detail"]

    r = await client.post(f"/inspections/{iid}/confirm", headers=i2)
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "submitted"
    assert done["submitted_by_id"] == world.uid("inspector1")
    assert done["confirmed_by_id"] == world.uid("inspector2")
    assert done["confirmed_by_name"] == "inspector2"
    assert done["confirmed_at"] >= done["submitted_at"]
    checklist = await pinned_checklist(done["checklist_version_id"])
    expected = score_answers(checklist, answers_for_scoring(await answers_of(iid)))
    assert done["score"] == str(expected.score)
    assert await Finding.count() == 1

    log = await entries(entity="inspection", entity_id=str(iid), limit=1000)
    by_action = {e["action"]: e for e in log}
    assert by_action["inspection.submit"]["actor_id"] == world.uid("inspector1")
    assert by_action["inspection.confirm"]["actor_id"] == world.uid("inspector2")

    r = await client.post(f"/inspections/{iid}/confirm", headers=i2)
    assert r.status_code == 409


async def test_a_supervisor_does_not_stand_in_for_the_pair(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    iid = await _answered(client, world, plan, "hall_hz")
    r = await client.post(f"/inspections/{iid}/submit", headers=world.cast.headers("supervisor"))
    assert r.status_code == 403 and "Art. 7" in r.json()["detail"]
    r = await client.post(f"/inspections/{iid}/submit", headers=world.cast.headers("inspector2"))
    assert r.status_code == 200 and r.json()["status"] == "pending"
    r = await client.post(f"/inspections/{iid}/confirm", headers=world.cast.headers("supervisor"))
    assert r.status_code == 403


async def test_the_partner_can_send_it_back_with_a_reason(client: Any, world: World) -> None:
    plan = await active_plan(client, world)
    iid = await _answered(client, world, plan, "hall_hz")
    i1, i2 = world.cast.headers("inspector1"), world.cast.headers("inspector2")
    assert (await client.post(f"/inspections/{iid}/submit", headers=i1)).status_code == 200
    r = await client.post(f"/inspections/{iid}/decline", json={"reason": ""}, headers=i2)
    assert r.status_code == 400  # a reason is required
    r = await client.post(
        f"/inspections/{iid}/decline", json={"reason": "价目表照片不清楚"}, headers=i2
    )
    assert r.status_code == 200, r.text
    back = r.json()
    assert back["status"] == "open" and back["submitted_by_id"] is None
    [entry] = await entries(entity="inspection", entity_id=str(iid), action="inspection.decline")
    assert entry["actor_id"] == world.uid("inspector2")
    assert entry["after"]["reason"] == "价目表照片不清楚"
    # open again: answers can change, and the pair can go round again
    r = await client.put(f"/inspections/{iid}/items/environment.clean", json={"result": "pass"},
                         headers=i1)  # fmt: skip
    assert r.status_code == 200
    assert (await client.post(f"/inspections/{iid}/submit", headers=i2)).json()["status"] == (
        "pending"
    )
    assert (await client.post(f"/inspections/{iid}/confirm", headers=i1)).json()["status"] == (
        "submitted"
    )


async def test_off_site_inspections_submit_in_one_step(client: Any, world: World) -> None:
    plan = await active_plan(
        client,
        world,
        venue_ids=[world.venues["hotline"]["id"]],
        checklist_version_ids=[world.versions["hotline"]["id"]],
        inspector_ids=[world.uid("inspector1")],
    )
    assert plan["on_site"] is False
    iid = await _answered(client, world, plan, "hotline", fail_first=False)
    r = await client.post(f"/inspections/{iid}/submit", headers=world.cast.headers("inspector1"))
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert r.json()["confirmed_by_id"] is None
    r = await client.post(f"/inspections/{iid}/confirm", headers=world.cast.headers("inspector2"))
    assert r.status_code in (404, 409)  # not assigned: the plan is not even visible
