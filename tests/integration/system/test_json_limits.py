"""Free-form JSON is bounded at the edge, and stored JSON always renders (issue 16 item 3).

Before: ``POST /notices`` with ``content`` nested 256+ levels stored the draft and answered
500; from then on ``GET /notices`` and the first page of ``GET /audit-log`` were 500 for all
staff, for good (audit entries cannot be removed)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from audit.validation import MAX_JSON_DEPTH, MAX_RENDERED_DEPTH


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"a": value}
    return value


def _keys(r: Any) -> list[str]:
    return [e["key"] for e in r.json().get("extra", [])]


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 300])
async def test_deep_json_fields_are_400_naming_the_field(
    client: Any, cast: Any, depth: int
) -> None:
    h = cast.headers("admin")
    op = cast.operator_a["id"]
    draft = {"notice_type": "rectification", "operator_id": op}
    r = await client.post("/notices", json={**draft, "content": {"x": nested(depth)}}, headers=h)
    assert r.status_code == 400, r.text
    assert _keys(r) == ["content"] and "nested deeper than 32 levels" in r.text
    r = await client.post("/notices", json={**draft, "source": nested(depth)}, headers=h)
    assert r.status_code == 400 and _keys(r) == ["source"], r.text
    r = await client.post(f"/operators/{op}/venues", headers=h, json={
        "kind": "web_chat", "name": "x", "profile": nested(depth)})  # fmt: skip
    assert r.status_code == 400 and _keys(r) == ["profile"], r.text

    ok = await client.post("/notices", json={**draft, "content": {"x": nested(5)}}, headers=h)
    assert ok.status_code == 201, ok.text
    r = await client.patch(
        f"/notices/{ok.json()['id']}", json={"content": nested(depth)}, headers=h
    )
    assert r.status_code == 400 and _keys(r) == ["content"], r.text
    assert (await client.get("/notices", headers=h)).status_code == 200
    assert (await client.get("/audit-log", headers=h)).status_code == 200


async def test_huge_json_field_is_400(client: Any, cast: Any) -> None:
    body = {"notice_type": "rectification", "operator_id": cast.operator_a["id"],
            "content": {"x": ["长" * 1000] * 300}}  # fmt: skip
    r = await client.post("/notices", json=body, headers=cast.headers("admin"))
    assert r.status_code == 400 and _keys(r) == ["content"] and "bytes" in r.text


async def test_rows_stored_before_the_bound_still_render(client: Any, cast: Any) -> None:
    """Rows as the old code stored them (300 levels): every list and detail answers 200, the
    too-deep part replaced by a marker, the rest intact."""
    from audit.domain.auditlog.tables import AuditEntry
    from audit.domain.notices.tables import Notice
    from audit.domain.operators.tables import Venue

    deep = nested(300)
    op = cast.operator_a["id"]
    notice = await Notice.insert(
        Notice(token="Tdeep0000000000000000000", notice_type="rectification", operator=op,
               addressee="甲", content={"title": "kept", "x": deep}, source={"s": deep})
    ).returning(Notice.id)  # fmt: skip
    await AuditEntry.raw(
        "INSERT INTO audit_entry (at, actor, action, entity, entity_id, after)"
        " VALUES (CURRENT_TIMESTAMP, 'old', 'notice.draft', 'notice', '1', {})",
        json.dumps({"content": deep}),
    )
    await Venue.insert(Venue(operator=op, kind="web_chat", name="v", profile={"deep": deep}))
    h = cast.headers("admin")
    for path in ("/notices", f"/notices/{notice[0]['id']}", "/audit-log",
                 f"/operators/{op}/venues"):  # fmt: skip
        r = await client.get(path, headers=h)
        assert r.status_code == 200, (path, r.text[:300])
        assert f"nested deeper than {MAX_RENDERED_DEPTH} levels" in r.text, path
    one = (await client.get(f"/notices/{notice[0]['id']}", headers=h)).json()
    assert one["content"]["title"] == "kept"
    entry = (await client.get("/audit-log", headers=h)).json()[0]
    assert entry["actor"] == "old"
