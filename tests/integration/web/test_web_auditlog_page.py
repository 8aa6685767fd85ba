"""The audit log page: entries as sentences, filtered by record type, actor and date."""

from __future__ import annotations

from typing import Any

from tests.web import form_login


async def test_entries_in_words_and_filters(client: Any, cast: Any) -> None:
    from tests.web_world import build_world

    await build_world(cast)
    await form_login(client, "supervisor")
    r = await client.get("/ui/audit-log")
    assert r.status_code == 200
    assert "system 创建了网点 #1" in r.text  # venue.create in words
    assert "supervisor 登录" in r.text
    only = await client.get("/ui/audit-log", params={"entity": "checklist_version"})
    assert "venue.create" not in only.text and "checklist_version.create" in only.text
    mine = await client.get("/ui/audit-log", params={"actor_id": cast.users["supervisor"]["id"]})
    assert "session.login" in mine.text and "venue.create" not in mine.text
    none = await client.get("/ui/audit-log", params={"until": "2001-01-01"})
    assert "venue.create" not in none.text
    await form_login(client, "analyst")
    assert (await client.get("/ui/audit-log", follow_redirects=False)).status_code in (303, 403)
