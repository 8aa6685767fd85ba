"""Restarting in demo mode re-reads the shipped checklists: content already imported once is
not imported again, and a version edited through the API stays the latest (the default that
new plans and follow-up drafts pin) — before, the shipped YAML came back as a new latest
version on every restart after an edit (issue 16 item 15)."""

from __future__ import annotations

from typing import Any

from audit.domain.plans import demo
from audit.domain.plans.checklist_versions import list_versions
from checklists.loader import CHECKLIST_DIR
from tests.integration.plans.world import World

HOTLINE = (CHECKLIST_DIR / "hotline.yaml").read_text(encoding="utf-8")
EDITED = HOTLINE.replace("pass_mark: 80", "pass_mark: 85", 1)


async def _restart() -> None:
    await demo.load(None)  # what the demo start-up runs (audit/core.py → domain demo loaders)


async def _hotline() -> list[dict[str, Any]]:
    return await list_versions("hotline")


async def test_an_in_place_edit_survives_restarts(client: Any, world: World) -> None:
    assert EDITED != HOTLINE
    await _restart()  # the shipped files are what the world imported: nothing new
    [shipped] = await _hotline()
    assert shipped["id"] == world.versions["hotline"]["id"]
    r = await client.put(
        f"/checklists/versions/{shipped['id']}",
        json={"yaml": EDITED},
        headers=world.cast.headers("admin"),
    )
    assert r.status_code == 200 and r.json()["created"] is False, r.text

    await _restart()
    await _restart()
    [latest] = await _hotline()
    assert latest["id"] == shipped["id"]
    assert latest["content_hash"] == r.json()["content_hash"]  # still the edit


async def test_a_new_version_from_an_edit_stays_latest(client: Any, world: World) -> None:
    admin = world.cast.headers("admin")
    shipped = world.versions["hotline"]
    body = world.plan_body(
        venue_ids=[world.venues["hotline"]["id"]], checklist_version_ids=[shipped["id"]]
    )
    assert (await client.post("/plans", json=body, headers=admin)).status_code == 201
    edit = await client.put(
        f"/checklists/versions/{shipped['id']}", json={"yaml": EDITED}, headers=admin
    )
    assert edit.status_code == 201 and edit.json()["version"] == 2, edit.text

    await _restart()
    versions = await _hotline()
    assert [v["version"] for v in versions] == [1, 2]  # no third copy of the shipped file
    assert versions[-1]["id"] == edit.json()["id"]


async def test_shipped_content_is_imported_once(db: str) -> None:
    await _restart()
    before = await list_versions()
    await _restart()
    assert await list_versions() == before
    assert {v["checklist_key"] for v in before} >= {"hotline", "online-chat"}
