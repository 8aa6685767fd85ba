"""Seed 004 Art. 10: each province is spot-checked at least once a year; gaps are listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.domain.plans.tables import AuditPlan
from tests.integration.plans.world import World, completed_plan


async def test_completed_plan_covers_the_provinces_of_its_sample(client: Any, world: World) -> None:
    v = world.venues
    plan = await completed_plan(
        client,
        world,
        venue_ids=[v["hall_hz"]["id"], v["agency_bj"]["id"]],
        checklist_version_ids=[
            world.versions["business-hall"]["id"],
            world.versions["agency-point"]["id"],
        ],
    )
    year = dt.datetime.fromisoformat(plan["completed_at"]).astimezone(dt.UTC).year
    r = await client.get(f"/plans/coverage?year={year}", headers=world.cast.headers("analyst"))
    assert r.status_code == 200
    report = r.json()
    by_code = {p["province_code"]: p for p in report["provinces"]}
    assert len(by_code) == 31
    assert by_code["330000"]["covered"] and by_code["330000"]["plan_ids"] == [plan["id"]]
    assert by_code["110000"]["covered"]
    assert not by_code["320000"]["covered"]
    assert "江苏省" in report["gaps"] and "浙江省" not in report["gaps"]
    assert len(report["gaps"]) == 29

    # a check completed in another year does not count for this one
    await AuditPlan.update(
        {AuditPlan.completed_at: dt.datetime(year - 1, 12, 31, 12, tzinfo=dt.UTC)}
    ).where(AuditPlan.id == plan["id"])
    report = (
        await client.get(f"/plans/coverage?year={year}", headers=world.cast.headers("analyst"))
    ).json()
    assert len(report["gaps"]) == 31


async def test_operators_cannot_read_coverage(client: Any, world: World) -> None:
    r = await client.get("/plans/coverage?year=2026", headers=world.cast.headers("op_a"))
    assert r.status_code == 403


async def test_several_years_in_one_pass_agree_with_each_year_in_the_regulators_zone(
    client: Any, world: World
) -> None:
    from audit.domain.plans.coverage import coverage, coverage_years
    from audit.settings import get_settings

    v = world.venues
    plan = await completed_plan(
        client,
        world,
        venue_ids=[v["hall_hz"]["id"]],
        checklist_version_ids=[world.versions["business-hall"]["id"]],
    )
    year = 2025
    # 17:00 UTC on 31 December is already 1 January in Asia/Shanghai: it counts for the new year
    late = dt.datetime(year - 1, 12, 31, 17, tzinfo=dt.UTC)
    await AuditPlan.update({AuditPlan.completed_at: late}).where(AuditPlan.id == plan["id"])
    expected = late.astimezone(get_settings().zone).year
    together = await coverage_years([year - 1, year, year + 1])
    for y in (year - 1, year, year + 1):
        alone = await coverage(y)
        assert together[y] == alone, y
        zj = next(p for p in alone["provinces"] if p["province_code"] == "330000")
        assert zj["plan_ids"] == ([plan["id"]] if y == expected else []), y
