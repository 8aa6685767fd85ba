"""Checklist pages: the import lists every problem the validator finds as file:line, a valid
file becomes a version, its scorecard shows the items, and two versions compare side by side."""

from __future__ import annotations

from typing import Any

from checklists.loader import CHECKLIST_DIR
from tests.web import form_login


async def _import(client: Any, text: str, filename: str = "mine.yaml") -> Any:
    from tests.web import csrf_token

    token = await csrf_token(client)
    return await client.post(
        "/ui/checklists/import",
        data={"_csrf_token": token},
        files={"file": (filename, text.encode(), "application/yaml")},
        follow_redirects=False,
    )


async def test_import_shows_all_problems_with_their_lines(client: Any, cast: Any) -> None:
    await form_login(client, "supervisor")
    text = (CHECKLIST_DIR / "hotline.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    # three independent problems on known lines
    bad_severity = next(i for i, line in enumerate(lines) if line.strip().startswith("severity:"))
    lines[bad_severity] = lines[bad_severity].split(":")[0] + ": fatal"
    bad_deduction = next(
        i
        for i, line in enumerate(lines)
        if line.strip().startswith("deduction:") and i > bad_severity
    )
    lines[bad_deduction] = lines[bad_deduction].split(":")[0] + ": -5"
    lines.insert(1, "unknown_key: 1")
    r = await _import(client, "\n".join(lines) + "\n")
    assert r.status_code == 422
    assert f"mine.yaml:{bad_severity + 2}:" in r.text  # +1 for 1-based, +1 for the inserted line
    assert f"mine.yaml:{bad_deduction + 2}:" in r.text
    assert "mine.yaml:2:" in r.text
    assert r.text.count("<li><code>mine.yaml:") >= 3


async def test_import_then_scorecard_then_diff(client: Any, cast: Any) -> None:
    await form_login(client, "admin")
    text = (CHECKLIST_DIR / "business_hall.yaml").read_text(encoding="utf-8")
    r = await _import(client, text, "business_hall.yaml")
    assert r.status_code == 303
    first = r.headers["location"]
    page = await client.get(first)
    assert "imported" in first and page.status_code == 200
    changed = text.replace("pass_mark: 80", "pass_mark: 85", 1)
    assert changed != text
    r = await _import(client, changed, "business_hall.yaml")
    assert r.status_code == 303 and "imported=new" in r.headers["location"]
    a = int(first.split("/")[-1].split("?")[0])
    b = int(r.headers["location"].split("/")[-1].split("?")[0])
    diff = await client.get("/ui/checklists/diff", params={"a": a, "b": b})
    assert diff.status_code == 200
    assert "pass_mark" in diff.text or "合格分" in diff.text
    assert 'data-status="same"' in diff.text


async def test_versions_of_different_checklists_do_not_compare(client: Any, cast: Any) -> None:
    from tests.web_world import build_world

    world = await build_world(cast)
    await form_login(client, "inspector1")
    a, b = world.checklist_versions[0]["id"], world.checklist_versions[1]["id"]
    r = await client.get("/ui/checklists/diff", params={"a": a, "b": b})
    assert r.status_code == 400
    assert (await client.get("/ui/checklists/import", follow_redirects=False)).status_code == 403
