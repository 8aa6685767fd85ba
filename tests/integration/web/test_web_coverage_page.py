"""The coverage page shows the report ``GET /plans/coverage`` gives, per province and year, as a
table and as an SVG bar chart drawn on the server (one bar per covered province)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.web import form_login


async def _completed_plan(world: Any, venue_id: int, completed: dt.datetime) -> int:
    from audit.domain.plans import services
    from audit.domain.plans.schemas import PlanIn
    from audit.domain.plans.tables import AuditPlan

    hotline = next(v["id"] for v in world.checklist_versions if "hotline" in v["applies_to"])
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    plan = await services.create_plan(
        PlanIn(
            name=f"热线检查 {venue_id} {completed.year}",
            operator_id=world.cast.operator_a["id"],
            method="open",
            sampling="targeted",
            venue_ids=[venue_id],
            checklist_version_ids=[hotline],
            window_start=start,
            window_end=start + dt.timedelta(days=2),
        ),
        world.cast.actor("admin"),
    )
    # The lifecycle to "completed" (inspections submitted) is tested with the plan service;
    # here only the report's shape on the page matters.
    await AuditPlan.update(
        {AuditPlan.status: "completed", AuditPlan.completed_at: completed}
    ).where(AuditPlan.id == plan["id"])
    return int(plan["id"])


async def test_table_and_chart_show_the_coverage_report(client: Any, cast: Any) -> None:
    from audit.context import SYSTEM
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.settings import get_settings
    from tests.web_world import build_world

    world = await build_world(cast)
    beijing = await create_venue(
        cast.operator_a["id"], VenueIn(kind="hotline", name="甲北京热线", region="北京市"), SYSTEM
    )
    year = dt.datetime.now(get_settings().zone).year
    nanjing = world.venues["a_hotline"]["id"]
    this_year = [
        await _completed_plan(world, nanjing, dt.datetime(year, 3, 1, tzinfo=dt.UTC)),
        await _completed_plan(world, nanjing, dt.datetime(year, 4, 1, tzinfo=dt.UTC)),
    ]
    await _completed_plan(world, beijing["id"], dt.datetime(year - 1, 6, 1, tzinfo=dt.UTC))

    await form_login(client, "analyst")
    r = await client.get(f"/ui/coverage?year={year}")
    assert r.status_code == 200
    html = r.text
    for y in range(year - 4, year + 1):
        api = (
            await client.get(f"/plans/coverage?year={y}", headers=cast.headers("analyst"))
        ).json()
        column = list(range(year - 4, year + 1)).index(y)
        for p in api["provinces"]:
            row = re.search(rf'<tr data-province="{p["province_code"]}">(.*?)</tr>', html, re.S)
            assert row, p["province_code"]
            cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
            shown = cells[column]
            assert shown == (str(p["completed_plans"]) if p["completed_plans"] else "无"), (y, p)
    jiangsu = re.search(r'<tr data-province="320000">(.*?)</tr>', html, re.S)
    assert jiangsu and all(f'href="/ui/plans/{i}"' in jiangsu.group(1) for i in this_year)
    # the chart: a bar for each covered province, its length ∝ the count; a dot for each gap
    assert html.count('<rect class="bar"') == 1
    assert html.count('<circle class="gap"') == 30
    bar = re.search(r'data-province="江苏省" data-count="(\d+)">.*?width="([\d.]+)"', html, re.S)
    assert bar and bar.group(1) == "2" and float(bar.group(2)) > 0
    assert "北京市" in re.search(r'id="coverage-gaps">([^<]*)<', html).group(1)  # type: ignore[union-attr]
    last = await client.get(f"/ui/coverage?year={year - 1}")
    assert (
        last.text.count('<rect class="bar"') == 1
        and 'data-province="北京市" data-count="1"' in last.text
    )


async def test_coverage_page_is_for_staff_only(client: Any, cast: Any) -> None:
    await form_login(client, "op_a")
    assert (await client.get("/ui/coverage", follow_redirects=False)).status_code == 404
    client.cookies.clear()
    await form_login(client, "inspector1")
    assert (await client.get("/ui/coverage?year=1999")).status_code == 400
