"""HTTP API: add a complaint, upload a CSV, list/filter triggers, move their status."""

from __future__ import annotations

from typing import Any

from .helpers import operators

A = {"operator": "OP-A", "region": "320100", "issue": "billing"}


async def test_add_complaints_and_list_triggers(client: Any, cast: Any) -> None:
    await operators("OP-A")
    h = cast.headers("inspector1")
    for i, day in enumerate(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-20"], 1):
        r = await client.post(
            "/complaints", json=dict(A, external_id=f"X{i}", received_at=day), headers=h
        )
        assert r.status_code == 201, r.text
    assert r.json()["triggers_escalated"]  # the fourth joined the trigger of 03-03
    r = await client.get("/complaints/triggers", params={"status": "new"}, headers=h)
    assert r.status_code == 200
    (t,) = r.json()
    assert (t["fired_on"], t["count_at_firing"], t["escalation"]) == ("2026-03-03", 3, 1)
    assert t["external_ids"] == ["X1", "X2", "X3", "X4"]
    assert t["region_given"] == "320100" and t["region_resolved"] is True

    r = await client.post(
        f"/complaints/triggers/{t['id']}/status", json={"status": "order_issued"}, headers=h
    )
    assert r.status_code == 403  # inspectors don't decide; supervisors do
    sup = cast.headers("supervisor")
    r = await client.post(
        f"/complaints/triggers/{t['id']}/status", json={"status": "order_issued"}, headers=sup
    )
    assert r.status_code == 200 and r.json()["status"] == "order_issued"
    r = await client.get("/complaints/triggers", params={"status": "new"}, headers=h)
    assert r.json() == []
    r = await client.post(
        f"/complaints/triggers/{t['id']}/status", json={"status": "closed"}, headers=sup
    )
    assert r.json()["status"] == "closed"
    r = await client.post(
        f"/complaints/triggers/{t['id']}/status", json={"status": "order_issued"}, headers=sup
    )
    assert r.status_code == 409


async def test_bad_input_names_the_field(client: Any, cast: Any) -> None:
    await operators("OP-A")
    h = cast.headers("inspector1")
    r = await client.post(
        "/complaints", json=dict(A, external_id="B1", received_at="2026-13-01"), headers=h
    )
    assert r.status_code == 400 and r.json()["field"] == "received_at"
    r = await client.post(
        "/complaints",
        json=dict(A, external_id="B2", received_at="2026-03-01", region="Springfield"),
        headers=h,
    )
    assert r.status_code == 400 and r.json()["field"] == "region"
    body = dict(A, external_id="B3", received_at="2026-03-01")
    assert (await client.post("/complaints", json=body, headers=h)).status_code == 201
    r = await client.post("/complaints", json=body, headers=h)
    assert r.status_code == 409 and r.json()["field"] == "external_id"
    r = await client.post("/complaints", json=dict(body, bogus=1), headers=h)
    assert r.status_code == 400


async def test_operator_users_cannot_reach_complaints(client: Any, cast: Any) -> None:
    h = cast.headers("op_a")
    assert (await client.get("/complaints/triggers", headers=h)).status_code == 403
    r = await client.post(
        "/complaints", json=dict(A, external_id="O1", received_at="2026-03-01"), headers=h
    )
    assert r.status_code == 403


async def test_csv_upload_reports_rejects(client: Any, cast: Any) -> None:
    await operators("OP-A")
    csv_text = (
        "external_id,operator,region,issue,received_at,channel,summary\n"
        "U1,OP-A,320100,billing,2026-03-01,hotline,a\n"
        "U2,OP-A,320100,billing,2026-03-02,hotline,b\n"
        "U3,OP-A,320100,,2026-03-03,hotline,乱扣费 话费不对\n"
        "U4,OP-B,320100,billing,2026-03-03,hotline,unknown operator\n"
    )
    h = {**cast.headers("supervisor"), "Content-Type": "text/csv"}
    r = await client.post("/complaints/import", content=csv_text.encode(), headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["imported"], out["rejected"], out["triggers_created"]) == (3, 1, 1)
    assert out["rejects"] == [
        {"line": 5, "field": "operator", "reason": "unknown operator 'OP-B' (or create operators)"}
    ]
    r = await client.post("/complaints/import", content=csv_text.encode(), headers=h)
    assert (r.json()["imported"], r.json()["already_present"]) == (0, 3)
    r = await client.post("/complaints/import", params={"mapping": "nope"}, content=b"x", headers=h)
    assert r.status_code == 400 and r.json()["field"] == "mapping"


async def test_upload_with_a_line_not_in_utf8_rejects_that_line_only(
    client: Any, cast: Any
) -> None:
    """(Issue 16 item 11: one GB18030 line used to refuse the whole file.)"""
    await operators("OP-A")
    good = "U1,OP-A,320100,billing,2026-03-01,hotline,a\n" * 1
    body = (
        "external_id,operator,region,issue,received_at,channel,summary\n" + good
    ).encode() + "U2,OP-A,320100,billing,2026-03-02,hotline,计费\n".encode("gb18030")
    h = {**cast.headers("supervisor"), "Content-Type": "text/csv"}
    r = await client.post("/complaints/import", content=body, headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["imported"], r.json()["rejected"]) == (1, 1)
    (reject,) = r.json()["rejects"]
    assert reject["line"] == 3 and "not valid utf-8" in reject["reason"]
    r = await client.post(
        "/complaints",
        json=dict(A, external_id="U1", received_at="2026-03-01"),
        headers=cast.headers("supervisor"),
    )
    assert r.status_code == 409  # U1 was imported
