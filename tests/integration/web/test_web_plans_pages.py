"""Plans in the browser's forms: the plan service's own validation answers inline naming the
field, a random plan shows its seed and the sample that seed draws, and the lifecycle buttons
on a plan's page are exactly the actions ``GET /plans/{id}/actions`` allows, with its reasons."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest

from tests.web import form_login, post_form


def _field_error(html: str, name: str) -> str:
    found = re.search(rf'id="e-{name}">([^<]*)<', html)
    assert found, f"no inline error for {name}"
    return unescape(found.group(1))


def _version(world: Any, kind: str) -> int:
    return next(v["id"] for v in world.checklist_versions if kind in v["applies_to"])


def _window() -> dict[str, str]:
    start = dt.datetime.now() + dt.timedelta(days=1)
    return {
        "window_start": start.strftime("%Y-%m-%dT09:00"),
        "window_end": (start + dt.timedelta(days=7)).strftime("%Y-%m-%dT18:00"),
    }


def _hall_plan_form(world: Any, inspectors: list[int]) -> dict[str, Any]:
    return {
        "operator_id": world.cast.operator_b["id"],
        "name": "乙通信营业厅明查",
        "method": "open",
        "sampling": "comprehensive",
        "venue_ids": [world.venues["b_hall"]["id"]],
        "checklist_version_ids": [_version(world, "business_hall")],
        "inspector_ids": inspectors,
        "on_site": "auto",
        **_window(),
    }


@pytest.fixture
async def world(cast: Any) -> Any:
    from tests.web_world import build_world

    return await build_world(cast)


async def test_the_form_lists_the_operators_venues_checklists_and_inspectors(
    client: Any, world: Any
) -> None:
    await form_login(client, "supervisor")
    r = await client.get("/ui/plans/new")
    assert r.status_code == 200
    assert f'href="/ui/plans/new?operator_id={world.cast.operator_b["id"]}"' in r.text
    r = await client.get(f"/ui/plans/new?operator_id={world.cast.operator_b['id']}")
    assert r.status_code == 200
    assert f'id="venue-{world.venues["b_hall"]["id"]}"' in r.text
    assert f'id="venue-{world.venues["a_hotline"]["id"]}"' not in r.text  # another operator's
    for name in ("inspector1", "inspector2"):
        assert f'id="inspector-{world.cast.users[name]["id"]}"' in r.text
    assert f'id="inspector-{world.cast.users["analyst"]["id"]}"' not in r.text
    assert f'id="checklist-{_version(world, "business_hall")}"' in r.text


async def test_the_services_rules_answer_inline_and_keep_what_was_typed(
    client: Any, world: Any
) -> None:
    await form_login(client, "supervisor")
    one = [world.cast.users["inspector1"]["id"]]
    r = await post_form(client, "/ui/plans/new", _hall_plan_form(world, one))
    assert r.status_code == 422
    assert "two inspectors" in _field_error(r.text, "inspector_ids")  # Art. 7, from the service
    assert 'value="乙通信营业厅明查"' in r.text
    assert re.search(rf'id="inspector-{one[0]}"[^>]*checked', r.text)

    form = {**_hall_plan_form(world, []), "window_end": _window()["window_start"]}
    r = await post_form(client, "/ui/plans/new", form)
    assert r.status_code == 422
    assert "after window_start" in _field_error(r.text, "window_end")

    form = {**_hall_plan_form(world, []), "sampling": "random", "sample_size": "5"}
    r = await post_form(client, "/ui/plans/new", form)
    assert r.status_code == 422
    assert "larger than the 1 candidate" in _field_error(r.text, "sample_size")

    form = {**_hall_plan_form(world, []), "window_start": "tomorrow"}
    form.pop("checklist_version_ids")
    r = await post_form(client, "/ui/plans/new", form)
    assert r.status_code == 422
    assert _field_error(r.text, "window_start")
    assert _field_error(r.text, "checklist_version_ids")

    form = {**_hall_plan_form(world, []), "venue_ids": [world.venues["a_hotline"]["id"]]}
    r = await post_form(client, "/ui/plans/new", form)
    assert r.status_code == 422
    assert "is not a venue of operator" in _field_error(r.text, "venue_ids")


async def test_a_random_plan_shows_its_seed_and_the_sample_it_draws(
    client: Any, world: Any
) -> None:
    from audit.context import SYSTEM
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.plans.sampling import draw_sample

    operator_id = world.cast.operator_a["id"]
    ids = [world.venues["a_hotline"]["id"]]
    for n in range(4):
        venue = VenueIn(kind="hotline", name=f"甲热线{n}", region="苏州市", phones=[f"1001{n}"])
        ids.append((await create_venue(operator_id, venue, SYSTEM))["id"])
    await form_login(client, "supervisor")
    form = {
        "operator_id": operator_id,
        "name": "甲通信热线随机抽查",
        "method": "covert",
        "sampling": "random",
        "sample_size": "3",
        "sample_seed": "seed-2026",
        "checklist_version_ids": [_version(world, "hotline")],
        **_window(),
    }
    r = await post_form(client, "/ui/plans/new", form, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = await client.get(r.headers["location"])
    assert '<code id="plan-seed">seed-2026</code>' in page.text
    shown = [int(v) for v in re.findall(r'<tr data-venue="(\d+)">', page.text)]
    assert shown == draw_sample(ids, 3, "seed-2026")


async def _buttons(client: Any, plan_id: int) -> tuple[set[str], dict[str, str]]:
    html = (await client.get(f"/ui/plans/{plan_id}")).text
    live = set(re.findall(r'<button type="submit" id="plan-(\w+)"', html))
    if f'<a href="/ui/plans/{plan_id}/edit" role="button" id="plan-edit">' in html:
        live.add("edit")
    reasons = {
        m.group(1): unescape(m.group(2))
        for m in re.finditer(r'<small id="why-(\w+)" class="why" data-reason="([^"]*)">', html)
    }
    return live, reasons


async def test_the_buttons_are_the_actions_the_api_allows_with_its_reasons(
    client: Any, world: Any
) -> None:
    from audit.domain.plans import services
    from audit.domain.plans.schemas import PlanIn

    cast = world.cast
    inspectors = [cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]]
    data = _hall_plan_form(world, inspectors)
    plan = await services.create_plan(
        PlanIn(
            **{k: v for k, v in data.items() if k not in ("on_site", "window_start", "window_end")},
            window_start=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
            window_end=dt.datetime.now(dt.UTC) + dt.timedelta(days=8),
        ),
        cast.actor("supervisor"),
    )
    for who in ("supervisor", "admin", "inspector1", "analyst"):
        client.cookies.clear()
        await form_login(client, who)
        api = (await client.get(f"/plans/{plan['id']}/actions", headers=cast.headers(who))).json()
        live, reasons = await _buttons(client, plan["id"])
        assert live == {a["action"] for a in api if a["allowed"]}, who
        assert reasons == {a["action"]: a["reason"] for a in api if not a["allowed"]}, who
    # the creator may not approve their own plan (four eyes); the page says so
    client.cookies.clear()
    await form_login(client, "supervisor")
    _, reasons = await _buttons(client, plan["id"])
    assert reasons["approve"].startswith("four eyes")
    html = (await client.get(f"/ui/plans/{plan['id']}")).text  # said in the page's language
    assert "双人原则" in html and "计划为“已批准”时才可执行；当前为“草稿”" in html


async def test_approve_and_activate_through_the_page(client: Any, world: Any) -> None:
    cast = world.cast
    inspectors = [cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]]
    await form_login(client, "admin")
    r = await post_form(
        client, "/ui/plans/new", _hall_plan_form(world, inspectors), follow_redirects=False
    )
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    plan_id = int(url.rsplit("/", 1)[1])
    r = await post_form(client, f"{url}/approve", {}, follow_redirects=False)
    assert r.status_code == 403  # refused: admins approve, but not a plan they created
    assert "four eyes" in unescape(r.text)

    client.cookies.clear()
    await form_login(client, "supervisor")
    r = await post_form(client, f"{url}/approve", {}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{url}?done=approve"
    page = await client.get(r.headers["location"])
    assert 'id="plan-done"' in page.text and 'id="plan-activate"' in page.text
    r = await post_form(client, f"{url}/activate", {}, follow_redirects=False)
    assert r.status_code == 303
    api = await client.get(f"/plans/{plan_id}", headers=cast.headers("supervisor"))
    assert api.json()["status"] == "active"
    assert api.json()["approved_by_id"] == cast.users["supervisor"]["id"]
    # an approved plan is no longer editable: the edit page says why
    r = await client.get(f"{url}/edit")
    assert r.status_code == 409
    assert "only drafts can be edited" in unescape(r.text)
    r = await post_form(client, f"{url}/approve", {})  # pressed twice (another tab)
    assert r.status_code == 409 and 'id="plan-error"' in r.text


async def test_editing_a_draft_goes_through_the_service(client: Any, world: Any) -> None:
    cast = world.cast
    await form_login(client, "supervisor")
    inspectors = [cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]]
    r = await post_form(
        client, "/ui/plans/new", _hall_plan_form(world, inspectors), follow_redirects=False
    )
    url = r.headers["location"]
    edit = await client.get(f"{url}/edit")
    assert edit.status_code == 200
    assert re.search(rf'id="inspector-{inspectors[1]}"[^>]*checked', edit.text)
    start = re.search(r'id="f-window_start"[^>]*value="([^"]+)"', edit.text)
    assert start and start.group(1) == _window()["window_start"]  # shown in the regulator's zone
    form = {**_hall_plan_form(world, inspectors[:1]), "name": "改名"}
    form.pop("operator_id")
    r = await post_form(client, f"{url}/edit", form)
    assert r.status_code == 422 and "two inspectors" in _field_error(r.text, "inspector_ids")
    form["inspector_ids"] = inspectors
    r = await post_form(client, f"{url}/edit", form, follow_redirects=False)
    assert r.status_code == 303
    assert "改名" in (await client.get(url)).text


async def test_the_list_is_paged_and_filtered_and_inspectors_see_their_plans_only(
    client: Any, world: Any
) -> None:
    from audit.domain.plans import services
    from audit.domain.plans.schemas import PlanIn

    cast = world.cast
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    for n in range(52):
        await services.create_plan(
            PlanIn(
                name=f"计划{n:02d}",
                operator_id=cast.operator_a["id"],
                method="open",
                sampling="comprehensive",
                checklist_version_ids=[_version(world, "hotline")],
                inspector_ids=[cast.users["inspector1"]["id"]] if n == 7 else [],
                window_start=start,
                window_end=start + dt.timedelta(days=3),
            ),
            cast.actor("admin"),
        )
    await form_login(client, "analyst")
    first = await client.get("/ui/plans")
    assert first.status_code == 200
    assert "计划51" in first.text and "计划01" not in first.text  # newest first, 50 a page
    assert 'href="/ui/plans?offset=50"' in first.text
    second = await client.get("/ui/plans?offset=50")
    assert "计划01" in second.text and "计划00" in second.text
    assert "计划51" not in (await client.get("/ui/plans?status=approved")).text
    assert 'id="plan-new"' not in first.text  # analysts read only
    client.cookies.clear()
    await form_login(client, "inspector1")
    mine = await client.get("/ui/plans")
    assert re.findall(r">计划\d\d<", mine.text) == [">计划07<"]
