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
