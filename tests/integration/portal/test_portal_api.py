"""The portal over HTTP: the operator's inbox, acknowledge with a comment, dispute and
rectification as multipart with files, another operator's 404, role guards on the regulator's
side, webhook registration returning the secret once, delivery receipts for staff only, and
every route in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from tests.portal_world import MANUAL_ITEM, PROBE_ITEM, build, png_bytes

COVERT_KEYS = {"verification", "plan_id", "inspection_id", "origin", "probe_kind", "venue_id",
               "recorded_by", "item_code", "inspection_finding_id"}  # fmt: skip


async def test_portal_flow_over_http(client: Any, mailed_cast: Any, caller_ids: None) -> None:
    cast = mailed_cast
    world = await build(cast)
    h = cast.headers
    nid = world.notice["id"]

    r = await client.get("/portal/notices", headers=h("op_a"))
    assert r.status_code == 200, r.text
    (entry,) = r.json()
    assert entry["id"] == nid and entry["category"] == "new" and entry["open_findings"] == 2
    assert (await client.get("/portal/notices", headers=h("op_b"))).json() == []
    assert (await client.get(f"/portal/notices/{nid}", headers=h("op_b"))).status_code == 404
    for _ in range(2):  # a read receipt, once per user
        assert (await client.get(f"/portal/notices/{nid}", headers=h("op_a"))).status_code == 200

    r = await client.post(
        f"/notices/{nid}/acknowledge", json={"comment": "已收到,正在整改"}, headers=h("op_a")
    )
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"

    manual, probe = world.item(MANUAL_ITEM), world.item(PROBE_ITEM)
    r = await client.get(f"/findings/{manual['id']}", headers=h("op_a"))
    assert r.status_code == 200
    assert not COVERT_KEYS & set(r.json()) and r.json()["can_dispute"] is True
    assert (await client.get(f"/findings/{manual['id']}", headers=h("op_b"))).status_code == 404

    form = {"reason": "通话中客户并未询问工号", "proposed_outcome": "调整为不适用"}
    fields = [(k, (None, v)) for k, v in form.items()]  # multipart even without a file
    r = await client.post(f"/findings/{manual['id']}/disputes", files=fields, headers=h("op_b"))
    assert r.status_code == 404, r.text
    r = await client.post(
        f"/findings/{manual['id']}/disputes",
        data=form,
        files=[("files", ("录音说明.txt", "客户未询问工号".encode(), "text/plain"))],
        headers=h("op_a"),
    )
    assert r.status_code == 201, r.text
    dispute = r.json()
    assert dispute["status"] == "pending" and dispute["files"][0]["kind"] == "note"

    r = await client.get("/disputes", headers=h("supervisor"))
    assert [d["id"] for d in r.json()] == [dispute["id"]]
    assert (await client.get("/disputes", headers=h("op_a"))).status_code == 403
    decision = {"decision": "adjust", "reason": "录音中无询问工号的情节", "result": "na"}
    r = await client.post(
        f"/disputes/{dispute['id']}/decision", json=decision, headers=h("inspector1")
    )
    assert r.status_code == 403
    r = await client.post(
        f"/disputes/{dispute['id']}/decision", json=decision, headers=h("supervisor")
    )
    assert r.status_code == 403 and "recorded the finding" in r.json()["detail"]
    r = await client.post(
        f"/disputes/{dispute['id']}/decision", json=decision, headers=h("supervisor2")
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "adjusted" and r.json()["corrected_notice_id"]
    corrected_id = r.json()["corrected_notice_id"]

    photo = png_bytes()
    r = await client.post(
        f"/findings/{probe['id']}/rectifications",
        data={"description": "已开展无声电话处理培训", "done_on": "2026-01-05"},
        files=[("files", ("培训.png", photo, "image/png"))],
        headers=h("op_a"),
    )
    assert r.status_code == 201, r.text
    rect = r.json()
    assert rect["files"][0]["kind"] == "photo"
    r = await client.get(
        f"/findings/{probe['id']}/files/{rect['files'][0]['id']}/content", headers=h("op_a")
    )
    assert r.status_code == 200 and r.content == photo
    r = await client.patch(
        f"/rectifications/{rect['id']}",
        files=[("description", (None, "培训并复核"))],  # multipart without a file
        headers=h("op_a"),
    )
    assert r.status_code == 200 and r.json()["revisions"] == 1, r.text

    r = await client.post(
        f"/findings/{probe['id']}/verification", json={"action": "propose"}, headers=h("supervisor")
    )
    assert r.status_code == 200 and r.json()["verification"]["kind"] == "reprobe"
    r = await client.post(
        f"/findings/{probe['id']}/verification", json={"action": "start"}, headers=h("op_a")
    )
    assert r.status_code == 403

    r = await client.get(f"/notices/{nid}/deliveries", headers=h("supervisor"))
    assert r.status_code == 200
    kinds = [x["kind"] for x in r.json()["receipts"]]
    assert "acknowledged" in kinds and kinds.count("viewed") == 1

    ack = next(x for x in r.json()["receipts"] if x["kind"] == "acknowledged")
    assert ack["detail"]["comment"] == "已收到,正在整改"
    assert {d["event"] for d in r.json()["deliveries"]} == {"notice.issued"}
    r = await client.get(f"/notices/{corrected_id}/deliveries", headers=h("supervisor"))
    # the corrected notice goes out, and the operator is told the decision
    assert {d["event"] for d in r.json()["deliveries"]} == {"notice.issued", "dispute.decided"}
    assert (await client.get(f"/notices/{nid}/deliveries", headers=h("op_a"))).status_code == 403

    r = await client.get("/portal/findings", headers=h("op_a"))
    assert {f["id"] for f in r.json()} == {manual["id"], probe["id"]}
    assert all(not COVERT_KEYS & set(f) for f in r.json())


async def test_webhook_registration(client: Any, cast: Any) -> None:
    h = cast.headers
    op = cast.operator_a["id"]
    body = {"url": "https://hooks.op-a.example/audit", "events": ["notice.issued"]}
    r = await client.post(f"/operators/{op}/webhooks", json=body, headers=h("op_b"))
    assert r.status_code == 404
    r = await client.post(
        f"/operators/{op}/webhooks", json={**body, "url": "http://x.example/"}, headers=h("op_a")
    )
    assert r.status_code == 400 and r.json()["field"] == "url"
    r = await client.post(
        f"/operators/{op}/webhooks", json={**body, "events": ["nope"]}, headers=h("op_a")
    )
    assert r.status_code == 400 and r.json()["field"] == "events"
    r = await client.post(f"/operators/{op}/webhooks", json=body, headers=h("op_a"))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["secret"].startswith("whsec_") and created["secret_hint"] in created["secret"]
    r = await client.get(f"/operators/{op}/webhooks", headers=h("op_a"))
    assert [w["id"] for w in r.json()] == [created["id"]] and "secret" not in r.json()[0]
    r = await client.post(f"/webhooks/{created['id']}/disable", headers=h("op_a"))
    assert r.status_code == 200 and r.json()["active"] is False


async def test_routes_are_documented(client: Any) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    for path in (
        "/portal/notices",
        "/portal/findings",
        "/findings/{finding_id}",
        "/findings/{finding_id}/rectifications",
        "/findings/{finding_id}/disputes",
        "/disputes/{dispute_id}/decision",
        "/findings/{finding_id}/verification",
        "/findings/{finding_id}/close",
        "/operators/{operator_id}/webhooks",
        "/notices/{notice_id}/deliveries",
        "/notices/{notice_id}/acknowledge",
        "/notices/{notice_id}/closing-letter",
        "/deliveries/{delivery_id}/resend",
    ):
        assert path in paths, path
