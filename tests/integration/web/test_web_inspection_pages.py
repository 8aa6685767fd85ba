"""The inspection pages over HTTP: the worklist (today's first, start a sampled venue), the
phone form (a card per item with the evidence rule, camera input, stored answers), autosave
through the JSON API with the session cookie and the CSRF header (as the form's script
sends it), the summary fragment with the scoring service's score, and the pair's submit and
confirm — both recorded."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from audit.domain.inspections.access import answers_of, load_inspection
from audit.domain.inspections.services import answers_for_scoring
from audit.domain.plans.checklist_versions import pinned_checklist
from checklists.scoring import score_answers
from tests.integration.plans.world import JPEG, build_world
from tests.web import csrf_token, form_login, post_form

NOW = dt.datetime.now(dt.UTC)


async def _plan(client: Any, world: Any, name: str, start: dt.datetime) -> dict[str, Any]:
    from tests.integration.plans.world import active_plan

    return await active_plan(
        client,
        world,
        name=name,
        window_start=start.isoformat(),
        window_end=(start + dt.timedelta(days=3)).isoformat(),
    )


async def _put(client: Any, iid: int, item: str, body: dict[str, Any]) -> Any:
    return await client.put(
        f"/inspections/{iid}/items/{item}",
        json=body,
        headers={"X-CSRFToken": await csrf_token(client)},
    )


async def test_worklist_starts_a_venue_and_lists_todays_first(
    app: Any, client: Any, cast: Any
) -> None:
    world = await build_world(cast)
    later = await _plan(client, world, "下月营业厅检查", NOW + dt.timedelta(days=20))
    today = await _plan(client, world, "今日营业厅检查", NOW - dt.timedelta(hours=2))
    await form_login(client, "inspector1")
    page = (await client.get("/ui/inspections")).text
    assert page.index("今日营业厅检查") < page.index("下月营业厅检查")  # today's first

    r = await post_form(
        client,
        "/ui/inspections/start",
        {"plan_id": later["id"], "venue_id": world.venues["hall_hz"]["id"]},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    first = int(r.headers["location"].rsplit("/", 1)[1])
    r = await post_form(
        client,
        "/ui/inspections/start",
        {"plan_id": today["id"], "venue_id": world.venues["hall_hz"]["id"]},
        follow_redirects=False,
    )
    second = int(r.headers["location"].rsplit("/", 1)[1])
    page = (await client.get("/ui/inspections")).text
    assert "Venues to inspect" not in page and "待检查的场所" not in page  # both started
    links = re.findall(r'href="/ui/inspections/(\d+)"', page)
    assert links[:2] == [str(second), str(first)]  # the plan running today first

    # a venue outside the sample is refused with the service's reason, nothing opened
    r = await post_form(
        client,
        "/ui/inspections/start",
        {"plan_id": today["id"], "venue_id": world.venues["b_hall"]["id"]},
    )
    assert r.status_code == 400 and "is not in the plan" in r.text and 'role="alert"' in r.text

    # the dashboard links the inspections list and each inspection's page
    dash = (await client.get("/")).text
    assert 'href="/ui/inspections"' in dash and f'href="/ui/inspections/{second}"' in dash
    # another inspector does not see them
    client.cookies.clear()
    await form_login(client, "analyst")
    r = await client.post(
        "/ui/inspections/start",
        data={"plan_id": today["id"], "venue_id": 1, "_csrf_token": await csrf_token(client)},
    )
    assert r.status_code == 403


async def test_the_form_autosaves_scores_and_needs_the_second_inspector(
    app: Any, client: Any, cast: Any
) -> None:
    world = await build_world(cast)
    plan = await _plan(client, world, "现场检查", NOW - dt.timedelta(hours=1))
    await form_login(client, "inspector1")
    r = await post_form(
        client,
        "/ui/inspections/start",
        {"plan_id": plan["id"], "venue_id": world.venues["hall_hz"]["id"]},
        follow_redirects=False,
    )
    iid = int(r.headers["location"].rsplit("/", 1)[1])
    inspection = await load_inspection(iid)
    checklist = await pinned_checklist(inspection["checklist_version_id"])
    items = checklist.items()

    page = (await client.get(f"/ui/inspections/{iid}")).text
    assert page.count('class="item"') == len(items)
    assert page.count('accept="image/*" capture="environment"') == len(items)
    assert "不通过时需要:照片" in page  # the evidence rule, before anything is answered
    assert f'data-inspection="{iid}"' in page and 'data-writable="1"' in page

    # the script's autosave: the JSON API with the session cookie; the CSRF header is required
    bare = await client.put(f"/inspections/{iid}/items/{items[0].id}", json={"result": "pass"})
    assert bare.status_code == 403
    first = items[0]
    saved = await _put(
        client,
        iid,
        first.id,
        {
            "result": "fail",
            "note": "地面有积水",
            "client_id": "browser-0001",
            "answered_at": NOW.isoformat(),
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["outcome"] == "applied" and saved.json()["evidence_missing"] == ["photo"]
    r = await client.post(
        f"/inspections/{iid}/items/{first.id}/evidence",
        files={"file": ("现场.jpg", JPEG + b"form", "image/jpeg")},
        data={"kind": "photo", "client_id": "photo-0001"},
        headers={"X-CSRFToken": await csrf_token(client)},
    )
    assert r.status_code == 201, r.text
    sha, eid = r.json()["sha256"], r.json()["id"]
    for item in items[1:]:
        r = await _put(client, iid, item.id, {"result": "pass"})
        assert r.status_code == 200, r.text

    summary = (await client.get(f"/ui/inspections/{iid}/summary")).text
    expected = score_answers(checklist, answers_for_scoring(await answers_of(iid)))
    assert f"<strong>{expected.score}</strong>" in summary
    assert 'hx-swap-oob="true"' in summary and 'id="submit-form"' in summary
    page = (await client.get(f"/ui/inspections/{iid}")).text
    assert f'src="/evidence/{eid}/content"' in page
    assert f'<code class="sha">{sha[:12]}</code>' in page
    assert "地面有积水" in page

    r = await post_form(client, f"/ui/inspections/{iid}/submit", {}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=submitted")
    pending = (await client.get(r.headers["location"])).text
    assert "等待第二名检查员确认" in pending and 'data-writable="0"' in pending
    r = await post_form(client, f"/ui/inspections/{iid}/confirm", {})
    assert r.status_code == 403 and "second inspector confirms" in r.text

    client.cookies.clear()  # the partner's phone
    await form_login(client, "inspector2")
    page = (await client.get(f"/ui/inspections/{iid}")).text
    assert 'id="confirm-form"' in page
    r = await post_form(client, f"/ui/inspections/{iid}/confirm", {}, follow_redirects=False)
    assert r.status_code == 303, r.text
    done = (await client.get(r.headers["location"])).text
    row = await load_inspection(iid)
    assert row["status"] == "submitted"
    assert row["submitted_by_name"] == "inspector1" and row["confirmed_by_name"] == "inspector2"
    assert row["score"] == str(expected.score)
    assert (
        "inspector1" in done
        and "inspector2" in done
        and f"<strong>{expected.score}</strong>" in done
    )


async def test_the_offline_worker_is_served_for_the_inspection_pages(
    client: Any, cast: Any
) -> None:
    await form_login(client, "inspector1")
    r = await client.get("/ui/inspections/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert "no-cache" in r.headers["cache-control"]
    assert "/ui/inspections/" in r.text and "caches" in r.text
