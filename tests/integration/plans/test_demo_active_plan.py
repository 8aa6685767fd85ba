"""The embedded demo (``make run``) has one active on-site plan for the demo inspectors (both
assigned, its business hall sampled, drafted by the admin and approved by the supervisor), so
inspector1 can start the phone inspection form at once; a restart creates no second one and
leaves the plan's inspections alone."""

from __future__ import annotations

from typing import Any


async def test_demo_has_one_active_plan_for_both_inspectors(db: str, monkeypatch: Any) -> None:
    from audit.context import Actor
    from audit.demo import load_demo_data
    from audit.domain.accounts.tables import User
    from audit.domain.inspections import services as inspections
    from audit.domain.inspections.views import plan_to_start
    from audit.domain.plans.access import load_plan
    from audit.domain.plans.demo import DEMO_PLAN, DEMO_VENUE
    from audit.domain.plans.tables import AuditPlan

    monkeypatch.setenv("AUDIT_DEMO_PASSWORD", "demo password for the test")
    await load_demo_data(None)  # type: ignore[arg-type]
    [row] = await AuditPlan.select(AuditPlan.id).where(AuditPlan.name == DEMO_PLAN)
    plan = await load_plan(row["id"])
    users = {u["username"]: u for u in await User.select(User.id, User.username, User.role).run()}
    assert plan["status"] == "active" and plan["on_site"]
    assert plan["inspector_ids"] == sorted([users["inspector1"]["id"], users["inspector2"]["id"]])
    assert plan["approved_by_id"] == users["supervisor"]["id"]
    inspector1 = Actor(id=users["inspector1"]["id"], name="inspector1", role="inspector")
    [venue] = await plan_to_start(plan, inspector1)
    assert venue["venue_name"] == DEMO_VENUE
    await inspections.open_inspection(plan["id"], venue["venue_id"], None, inspector1)

    await load_demo_data(None)  # type: ignore[arg-type]  # a restart
    assert await AuditPlan.count().where(AuditPlan.name == DEMO_PLAN) == 1
    assert await plan_to_start(await load_plan(plan["id"]), inspector1) == []  # started
