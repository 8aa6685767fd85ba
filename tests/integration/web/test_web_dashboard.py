"""The dashboard per role: what each role is shown comes from the domains' records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.web import form_login


async def _plan(cast: Any, world: Any, status: str, name: str, inspectors: list[str]) -> int:
    from audit.domain.plans.tables import AuditPlan, PlanInspector

    now = dt.datetime.now(dt.UTC)
    rows = await AuditPlan.insert(
        AuditPlan(
            name=name,
            operator=cast.operator_a["id"],
            method="open",
            sampling="comprehensive",
            window_start=now - dt.timedelta(hours=1),
            window_end=now + dt.timedelta(days=2),
            status=status,
        )
    ).returning(AuditPlan.id)
    for who in inspectors:
        await PlanInspector.insert(
            PlanInspector(plan=rows[0]["id"], inspector=cast.users[who]["id"])
        )
    return int(rows[0]["id"])


async def test_each_role_sees_its_own_work(client: Any, cast: Any) -> None:
    from tests.web_world import build_world

    world = await build_world(cast)
    await _plan(cast, world, "draft", "待批计划甲", [])
    await _plan(cast, world, "active", "检查员一的计划", ["inspector1"])
    await _plan(cast, world, "active", "检查员二的计划", ["inspector2"])

    await form_login(client, "supervisor")
    page = (await client.get("/")).text
    assert "待批计划甲" in page and "待审批计划" in page
    client.cookies.clear()

    await form_login(client, "inspector1")
    page = (await client.get("/")).text
    assert "检查员一的计划" in page and "检查员二的计划" not in page
    assert "今天" in page  # the window includes today: shown first, marked
    assert "待批计划甲" not in page
    client.cookies.clear()

    await form_login(client, "op_a")
    page = (await client.get("/")).text
    assert cast.operator_a["name"] in page and "待批计划甲" not in page
