"""The plan page's "start the inspection" buttons: an assigned inspector on an active plan gets
one per sampled venue not inspected yet, posting to the worklist's start
(``/ui/inspections/start``, the same service) and landing on the phone form; a started venue
is no longer offered; nobody gets them on a plan that is not active, nor those who may read
but not record (analyst)."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.plans.world import active_plan, build_world
from tests.web import form_login, post_form


def _offered(page: str) -> list[int]:
    section = (
        page.split('id="plan-start"', 1)[1].split("</section>", 1)[0]
        if ('id="plan-start"' in page)
        else ""
    )
    return [int(v) for v in re.findall(r'name="venue_id" value="(\d+)"', section)]


async def test_plan_page_starts_each_sampled_venue_once(app: Any, client: Any, cast: Any) -> None:
    world = await build_world(cast)
    hz, nb = world.venues["hall_hz"]["id"], world.venues["hall_nb"]["id"]
    plan = await active_plan(client, world, name="两厅现场检查", venue_ids=[hz, nb])
    r = await client.post(
        "/plans", json=world.plan_body(name="未批准的计划"), headers=cast.headers("admin")
    )
    draft = r.json()

    await form_login(client, "analyst")
    assert _offered((await client.get(f"/ui/plans/{plan['id']}")).text) == []  # reads only

    await form_login(client, "inspector1")
    page = (await client.get(f"/ui/plans/{plan['id']}")).text
    assert sorted(_offered(page)) == sorted([hz, nb])
    assert 'action="/ui/inspections/start"' in page
    assert _offered((await client.get(f"/ui/plans/{draft['id']}")).text) == []  # not active

    r = await post_form(
        client, "/ui/inspections/start", {"plan_id": plan["id"], "venue_id": hz},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    assert re.fullmatch(r"/ui/inspections/\d+", r.headers["location"])
    form = await client.get(r.headers["location"])
    assert form.status_code == 200 and 'capture="environment"' in form.text  # the phone form

    page = (await client.get(f"/ui/plans/{plan['id']}")).text
    assert _offered(page) == [nb]  # the started venue is no longer offered
    assert 'href="' + r.headers["location"] + '"' in page  # it is listed as an inspection
