"""Duplicate review over HTTP: the API (POST /complaints/{id}/duplicate, GET ?duplicate=) and
the complaints page's confirm / not-a-duplicate buttons (CSRF-protected forms)."""

from __future__ import annotations

import re
from typing import Any

from tests.web import form_login, post_form

from .helpers import operators

A = {"operator": "OP-A", "region": "320100", "issue": "billing", "received_at": "2026-03-01"}


async def test_review_through_the_api(client: Any, cast: Any) -> None:
    await operators("OP-A")
    h = cast.headers("inspector1")  # analysts are read-only (issue 16 item 8)
    r = await client.post(
        "/complaints",
        json=dict(A, external_id="T1", source="hotline", contact="010-6512 3456"),
        headers=h,
    )
    assert r.status_code == 201, r.text
    first = r.json()
    assert "contact_hash" not in first and "contact" not in first
    r = await client.post(
        "/complaints",
        json=dict(A, external_id="W1", source="web", contact="+86 10 6512 3456"),
        headers=h,
    )
    dup = r.json()
    assert (dup["duplicate_of"], dup["duplicate_state"]) == (first["id"], "pending")
    r = await client.post(
        "/complaints", json=dict(A, external_id="W2", contact="138****0000"), headers=h
    )
    assert r.status_code == 400 and r.json()["field"] == "contact", r.text

    r = await client.get("/complaints", params={"duplicate": "pending"}, headers=h)
    assert [c["external_id"] for c in r.json()] == ["W1"]
    r = await client.get("/complaints", params={"duplicate": "maybe"}, headers=h)
    assert r.status_code == 400

    url = f"/complaints/{dup['id']}/duplicate"
    r = await client.post(url, json={"decision": "reject"}, headers=cast.headers("op_a"))
    assert r.status_code == 403
    r = await client.post(url, json={"decision": "later"}, headers=h)
    assert r.status_code == 400
    r = await client.post(url, json={"decision": "reject", "reason": "两个人"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["complaint"]["duplicate_state"] == "rejected"
    r = await client.post(url, json={"decision": "reject"}, headers=h)
    assert r.status_code == 409
    r = await client.post(f"/complaints/{first['id'] + 99}/duplicate",
                          json={"decision": "confirm"}, headers=h)  # fmt: skip
    assert r.status_code == 404


async def test_review_from_the_complaints_page(client: Any, cast: Any) -> None:
    await operators("OP-A")
    h = cast.headers("inspector1")
    for ext, source in (("P1", "hotline"), ("P2", "web")):
        r = await client.post(
            "/complaints",
            json=dict(A, external_id=ext, source=source, summary="宽带 断网!"),
            headers=h,
        )
        assert r.status_code == 201
    dup_id = r.json()["id"]
    await form_login(client, "inspector1")
    page = await client.get("/ui/complaints", params={"duplicate": "pending"})
    assert page.status_code == 200
    row = re.search(rf'<tr data-id="{dup_id}"[^>]*>(.*?)</tr>', page.text, re.S)
    assert row and f'action="/ui/complaints/{dup_id}/duplicate"' in row.group(1)
    r = await post_form(
        client,
        f"/ui/complaints/{dup_id}/duplicate",
        {"decision": "confirm", "back": "/ui/complaints?duplicate=pending"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/ui/complaints?duplicate=pending#c{dup_id}"
    r = await client.get("/ui/complaints", params={"duplicate": "confirmed"})
    assert f'<tr data-id="{dup_id}"' in r.text
    # without the CSRF field the form post is refused
    r = await client.post(f"/ui/complaints/{dup_id}/duplicate", data={"decision": "reject"})
    assert r.status_code == 403


async def test_trigger_page_lists_what_was_counted_once(client: Any, cast: Any) -> None:
    await operators("OP-A")
    h = cast.headers("inspector1")
    for ext, day, summary in (("K1", "2026-03-01", "断网"), ("K2", "2026-03-01", "断 网。"),
                              ("K3", "2026-03-02", "掉线"), ("K4", "2026-03-03", "没信号")):  # fmt: skip
        r = await client.post("/complaints", json=dict(A, external_id=ext, received_at=day,
                                                       summary=summary), headers=h)  # fmt: skip
        assert r.status_code == 201
    (t,) = (await client.get("/complaints/triggers", headers=h)).json()
    assert t["external_ids"] == ["K1", "K3", "K4"]
    await form_login(client, "analyst")
    page = await client.get(f"/ui/complaints/triggers/{t['id']}")
    table = re.search(r'<table id="trigger-duplicates">(.*?)</table>', page.text, re.S)
    assert table and "default/K2" in table.group(1) and "default/K1" in table.group(1)
