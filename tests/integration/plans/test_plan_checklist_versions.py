"""Checklist versions: a version a plan uses is immutable; editing it creates a new version."""

from __future__ import annotations

from typing import Any

from audit.domain.auditlog.services import entries
from audit.domain.plans.checklist_versions import import_checklist, list_versions
from checklists.loader import CHECKLIST_DIR, content_hash, load_checklist
from tests.integration.plans.world import World

INFO = (CHECKLIST_DIR / "info_line.yaml").read_text(encoding="utf-8")


async def test_reimporting_the_same_content_keeps_the_version(world: World) -> None:
    from audit.context import SYSTEM

    before = await list_versions()
    row, created = await import_checklist(load_checklist(CHECKLIST_DIR / "hotline.yaml"), SYSTEM)
    assert not created and row["id"] == world.versions["hotline"]["id"]
    assert await list_versions() == before
    assert {r["checklist_key"]: r["version"] for r in before}["hotline"] == 1


async def test_edit_unused_in_place_and_used_as_new_version(client: Any, world: World) -> None:
    headers = world.cast.headers("admin")
    vid = world.versions["info-line"]["id"]
    edited = INFO.replace("pass_mark: 80", "pass_mark: 85")
    r = await client.put(f"/checklists/versions/{vid}", json={"yaml": edited}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == vid and r.json()["created"] is False
    assert r.json()["content"]["pass_mark"] == "85"

    # pin it in a plan: now it is frozen
    body = world.plan_body(
        venue_ids=[world.venues["hotline"]["id"]],
        checklist_version_ids=[vid, world.versions["hotline"]["id"]],
    )
    assert (await client.post("/plans", json=body, headers=headers)).status_code == 201
    pinned = (await client.get(f"/checklists/versions/{vid}", headers=headers)).json()
    assert pinned["used"] is True

    r = await client.put(
        f"/checklists/versions/{vid}",
        json={"yaml": INFO.replace("pass_mark: 80", "pass_mark: 90")},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["created"] is True and new["id"] != vid and new["version"] == 2
    again = (await client.get(f"/checklists/versions/{vid}", headers=headers)).json()
    assert again["content_hash"] == pinned["content_hash"]
    assert again["content"]["pass_mark"] == "85"
    actions = {e["action"] for e in await entries(entity="checklist_version")}
    assert {"checklist_version.create", "checklist_version.update"} <= actions


async def test_stored_hash_matches_the_content(client: Any, world: World) -> None:
    from checklists.loader import checklist_from_data

    row = (
        await client.get(
            f"/checklists/versions/{world.versions['online-chat']['id']}",
            headers=world.cast.headers("analyst"),
        )
    ).json()
    assert content_hash(checklist_from_data(row["content"])) == row["content_hash"]


async def test_broken_yaml_upload_reports_lines(client: Any, world: World) -> None:
    broken = INFO.replace("severity: minor", "severity: fatal")
    line = broken.splitlines().index("        severity: fatal") + 1
    r = await client.post("/checklists", json={"yaml": broken}, headers=world.cast.headers("admin"))
    assert r.status_code == 400
    assert f"<upload>:{line}:" in r.json()["detail"] and "fatal" in r.json()["detail"]
    r = await client.put(
        f"/checklists/versions/{world.versions['info-line']['id']}",
        json={"yaml": (CHECKLIST_DIR / "hotline.yaml").read_text(encoding="utf-8")},
        headers=world.cast.headers("admin"),
    )
    assert r.status_code == 400 and "belongs to 'info-line'" in r.json()["detail"]
