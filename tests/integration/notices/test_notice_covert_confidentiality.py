"""A covert plan's findings never reach the operator before the plan is published (issue 16
item 4): drafting or issuing a notice addressed to the operator from such a plan is refused
unless a supervisor overrides it (logged); operator users never read such a notice otherwise.
One rule: audit/domain/plans/confidentiality.py."""

from __future__ import annotations

from typing import Any

from audit.domain.notices import issuing, services
from audit.domain.notices.tables import Notice
from audit.notices.models import NoticeType
from tests.integration.notices.notice_helpers import full_content, submitted_inspection
from tests.integration.plans.world import build_world


async def _covert_inspection(client: Any, cast: Any) -> tuple[int, int]:
    world = await build_world(cast)
    iid = await submitted_inspection(client, world, publish=False)
    plan_id = (await client.get(f"/inspections/{iid}", headers=cast.headers("admin"))).json()[
        "plan_id"
    ]
    return iid, int(plan_id)


async def test_drafting_from_an_unpublished_covert_plan_is_refused(client: Any, cast: Any) -> None:
    iid, plan_id = await _covert_inspection(client, cast)
    insp = cast.headers("inspector2")
    r = await client.post(f"/notices/from-inspection/{iid}", json={}, headers=insp)
    assert r.status_code == 409 and r.json()["field"] == "inspection_id", r.text
    r = await client.post(f"/notices/findings-report/from-inspection/{iid}", headers=insp)
    assert r.status_code == 409, r.text
    # a hand-written draft citing the inspection, or the plan in its text, is the same
    body = {"notice_type": "rectification", "operator_id": cast.operator_a["id"]}
    r = await client.post("/notices", json={**body, "source": {"inspection_id": iid}}, headers=insp)
    assert r.status_code == 409 and r.json()["field"] == "source", r.text
    content = {"inspection_ref": f"PLAN-{plan_id} / INS-{iid}"}
    r = await client.post("/notices", json={**body, "content": content}, headers=insp)
    assert r.status_code == 409, r.text
    # nobody sets the override record by hand
    forged = {"confidentiality_override": {"reason": "x"}, "inspection_id": iid}
    r = await client.post("/notices", json={**body, "source": forged}, headers=insp)
    assert r.status_code == 400 and r.json()["field"] == "source", r.text
    # an inspector cannot override
    r = await client.post(
        f"/notices/from-inspection/{iid}", json={"override_reason": "急"}, headers=insp
    )
    assert r.status_code == 403, r.text
    assert await Notice.count() == 0


async def test_a_supervisor_override_is_logged_and_kept(client: Any, cast: Any) -> None:
    from audit.domain.auditlog.tables import AuditEntry

    iid, plan_id = await _covert_inspection(client, cast)
    r = await client.post(
        f"/notices/from-inspection/{iid}",
        json={"override_reason": "危及用户安全,须立即整改"},
        headers=cast.headers("supervisor"),
    )
    assert r.status_code == 201, r.text
    draft = r.json()
    kept = draft["source"]["confidentiality_override"]
    assert kept["plans"] == [plan_id] and kept["by"] == "supervisor"
    logged = await AuditEntry.select().where(AuditEntry.action == "plan.confidentiality_override")
    assert len(logged) == 1 and "危及用户安全" in str(logged[0]["after"])
    content = dict(draft["content"])
    content["findings"] = [{**f, "rectification": "立即整改"} for f in content["findings"]]
    content["deadline"] = "2099-12-31"
    await services.update_draft(draft["id"], cast.actor("supervisor"), content)
    await services.approve(draft["id"], cast.actor("admin"))
    await issuing.issue(draft["id"], cast.actor("admin"))
    r = await client.get(f"/notices/{draft['id']}", headers=cast.headers("op_a"))
    assert r.status_code == 200, r.text


async def test_operator_never_reads_a_notice_drawing_on_a_withheld_plan(
    client: Any, cast: Any
) -> None:
    """A notice issued without the rule (made before it, or edited in the database) stays
    hidden from the operator until the plan is published; issuing such a draft is refused."""
    iid, plan_id = await _covert_inspection(client, cast)
    sup = cast.actor("supervisor")
    # issued cleanly, then pointed at the covert inspection (as a notice from before the rule)
    clean = await services.create_draft(
        cast.actor("inspector1"), NoticeType.rectification, cast.operator_a["id"],
        full_content(NoticeType.rectification),
    )  # fmt: skip
    await services.approve(clean["id"], sup)
    await issuing.issue(clean["id"], sup)
    await Notice.update({Notice.source: {"inspection_id": iid}}).where(Notice.id == clean["id"])
    op = cast.headers("op_a")
    assert (await client.get(f"/notices/{clean['id']}", headers=op)).status_code == 404
    assert clean["id"] not in [n["id"] for n in (await client.get("/notices", headers=op)).json()]
    assert (await client.get(f"/portal/notices/{clean['id']}", headers=op)).status_code == 404
    assert (await client.get(f"/notices/{clean['id']}", headers=cast.headers("analyst"))).is_success

    # an approved draft that came to cite the covert plan is not issued without an override
    draft = await services.create_draft(
        cast.actor("inspector1"), NoticeType.rectification, cast.operator_a["id"],
        full_content(NoticeType.rectification),
    )  # fmt: skip
    await services.approve(draft["id"], sup)
    await Notice.update({Notice.source: {"plan_id": plan_id}}).where(Notice.id == draft["id"])
    r = await client.post(f"/notices/{draft['id']}/issue", headers=cast.headers("supervisor"))
    assert r.status_code == 409 and "not published" in r.text, r.text
    assert (await services.load(draft["id"]))["status"] == "approved"  # nothing changed
    r = await client.post(
        f"/notices/{draft['id']}/issue",
        json={"override_reason": "经局长批准提前送达"},
        headers=cast.headers("admin"),
    )
    assert r.status_code == 200, r.text
    assert (await client.get(f"/notices/{draft['id']}", headers=op)).status_code == 200

    # once the plan is published, the first notice is readable too
    for action in ("complete", "publish"):
        r = await client.post(f"/plans/{plan_id}/{action}", headers=cast.headers("supervisor"))
        assert r.status_code == 200, r.text
    assert (await client.get(f"/notices/{clean['id']}", headers=op)).status_code == 200
