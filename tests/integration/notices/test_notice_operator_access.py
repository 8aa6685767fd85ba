"""Operator users list and download only their own issued notices; others answer 404."""

from __future__ import annotations

from typing import Any

from audit.domain.notices import services
from audit.notices.models import NoticeType
from tests.integration.notices.notice_helpers import full_content, issued_notice


async def test_operator_sees_only_own_issued(client: Any, cast: Any) -> None:
    mine = await issued_notice(cast, "a")
    theirs = await issued_notice(cast, "b")
    draft = await services.create_draft(
        cast.actor("inspector1"),
        NoticeType.rectification,
        cast.operator_a["id"],
        full_content(NoticeType.rectification),
    )
    h = cast.headers("op_a")

    listed = (await client.get("/notices", headers=h)).json()
    assert [n["id"] for n in listed] == [mine["id"]]

    assert (await client.get(f"/notices/{mine['id']}", headers=h)).status_code == 200
    for other in (theirs["id"], draft["id"], 999_999):
        r = await client.get(f"/notices/{other}", headers=h)
        assert r.status_code == 404, other
        assert (await client.get(f"/notices/{other}/pdf", headers=h)).status_code == 404

    staff = (await client.get("/notices", headers=cast.headers("analyst"))).json()
    assert {n["id"] for n in staff} == {mine["id"], theirs["id"], draft["id"]}


async def test_download_delivers_and_acknowledge(client: Any, cast: Any) -> None:
    n = await issued_notice(cast, "a")
    h = cast.headers("op_a")
    r = await client.get(f"/notices/{n['id']}/pdf", headers=h)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    import hashlib

    assert hashlib.sha256(r.content).hexdigest() == n["sha256"]
    assert (await services.load(n["id"]))["status"] == "delivered"

    # another operator can't acknowledge it; staff can't either (operator action)
    assert (
        await client.post(f"/notices/{n['id']}/acknowledge", headers=cast.headers("op_b"))
    ).status_code == 404
    assert (
        await client.post(f"/notices/{n['id']}/acknowledge", headers=cast.headers("supervisor"))
    ).status_code == 403
    r = await client.post(f"/notices/{n['id']}/acknowledge", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"


async def test_operator_cannot_draft_or_issue(client: Any, cast: Any) -> None:
    h = cast.headers("op_a")
    body = {"notice_type": "rectification", "operator_id": cast.operator_a["id"], "content": {}}
    assert (await client.post("/notices", json=body, headers=h)).status_code == 403
    n = await issued_notice(cast, "a")
    assert (
        await client.post(f"/notices/{n['id']}/revoke", json={"reason": "x"}, headers=h)
    ).status_code == 403
