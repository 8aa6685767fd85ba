"""The staff API drives the lifecycle; bad input answers 4xx naming the field."""

from __future__ import annotations

from typing import Any

from audit.notices.models import NoticeType
from tests.integration.notices.notice_helpers import full_content


async def test_draft_approve_issue_over_http(client: Any, cast: Any) -> None:
    insp, sup = cast.headers("inspector1"), cast.headers("supervisor")
    body = {
        "notice_type": "self_inspection",
        "operator_id": cast.operator_b["id"],
        "content": {"trigger_ref": "TRG-1", "region": "深圳市"},
    }
    r = await client.post("/notices", json=body, headers=insp)
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["missing"] == ["issue", "complaints", "deadline"]

    r = await client.post(f"/notices/{draft['id']}/approve", headers=sup)
    assert r.status_code == 400 and r.json()["field"] == "content"
    assert "missing: issue, complaints, deadline" in r.json()["detail"]

    r = await client.patch(
        f"/notices/{draft['id']}",
        json={"content": full_content(NoticeType.self_inspection)},
        headers=insp,
    )
    assert r.status_code == 200 and r.json()["missing"] == []
    assert (await client.post(f"/notices/{draft['id']}/issue", headers=sup)).status_code == 409
    assert (await client.post(f"/notices/{draft['id']}/approve", headers=insp)).status_code == 403
    assert (await client.post(f"/notices/{draft['id']}/approve", headers=sup)).status_code == 200
    r = await client.post(f"/notices/{draft['id']}/issue", headers=sup)
    assert r.status_code == 200, r.text
    assert r.json()["number"].startswith("自查〔") and r.json()["number"].endswith("第0001号")


async def test_bad_input_is_4xx(client: Any, cast: Any) -> None:
    sup = cast.headers("supervisor")
    r = await client.post("/notices", json={"notice_type": "memo"}, headers=sup)
    assert r.status_code == 400
    r = await client.post(
        "/notices", json={"notice_type": "rectification", "operator_id": 424242}, headers=sup
    )
    assert r.status_code == 400 and r.json()["field"] == "operator_id"
    r = await client.post(
        "/notices",
        json={
            "notice_type": "rectification",
            "operator_id": cast.operator_a["id"],
            "content": {"x": "长" * 300_000},
        },
        headers=sup,
    )
    assert r.status_code == 400
    assert (await client.post("/notices/999999/issue", headers=sup)).status_code == 404
    assert (await client.get("/notices", headers={})).status_code == 401
