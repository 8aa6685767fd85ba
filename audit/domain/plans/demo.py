"""Demo data: the shipped checklists stored as versions, at every start-up — each content once,
never over a version edited through the API (see ``import_shipped``); and one active on-site
plan for the demo inspectors (the Hangzhou business hall, both inspectors assigned, drafted by
the admin, approved and activated by the supervisor — four eyes), so the phone inspection form
can be tried at once. Created once; a restart leaves it and its inspections alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog

from audit.context import Actor
from audit.domain.plans.checklist_versions import import_shipped, list_versions
from checklists.loader import CHECKLIST_DIR, checklist_files, load_checklist

log = structlog.get_logger("audit.demo")
DEMO_PLAN = "杭州文三路营业厅现场检查（示例）"
DEMO_OPERATOR = "示例电信股份有限公司"
DEMO_VENUE = "杭州文三路营业厅"


async def load(app: Any) -> None:
    for path in checklist_files(CHECKLIST_DIR):
        await import_shipped(load_checklist(path), path.name)
    await _active_plan()


async def _active_plan() -> None:
    from audit.domain.accounts.tables import User
    from audit.domain.operators.services import find_operator
    from audit.domain.operators.tables import Venue
    from audit.domain.plans import services
    from audit.domain.plans.schemas import PlanIn
    from audit.domain.plans.tables import AuditPlan
    from audit.settings import get_settings

    if await AuditPlan.exists().where(AuditPlan.name == DEMO_PLAN):
        return
    names = ("admin", "supervisor", "inspector1", "inspector2")
    users = {
        r["username"]: Actor(id=r["id"], name=r["username"], role=r["role"])
        for r in await User.select(User.id, User.username, User.role).where(
            User.username.is_in(list(names)) & (User.active == True)  # noqa: E712
        )
    }
    operator = await find_operator(DEMO_OPERATOR)
    versions = await list_versions("business-hall")  # oldest first: pin the latest
    if set(users) != set(names) or operator is None or not versions:
        return  # the demo registry differs (renamed users, another operator): no plan
    hall = (
        await Venue.select(Venue.id)
        .where((Venue.operator == operator["id"]) & (Venue.name == DEMO_VENUE))
        .first()
    )
    if hall is None:
        return
    zone = get_settings().zone
    today = dt.datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    plan = await services.create_plan(
        PlanIn(
            name=DEMO_PLAN,
            description="营业厅服务质量现场检查：环境、资费公示、服务规范（两名检查员同行）。",
            operator_id=operator["id"],
            method="open",
            sampling="targeted",
            venue_ids=[hall["id"]],
            checklist_version_ids=[versions[-1]["id"]],
            inspector_ids=[users["inspector1"].id, users["inspector2"].id],  # type: ignore[list-item]
            window_start=today,
            window_end=today + dt.timedelta(days=14, hours=18),
            on_site=True,
        ),
        users["admin"],
    )
    await services.transition(plan["id"], "approve", users["supervisor"])
    await services.transition(plan["id"], "activate", users["supervisor"])
    log.info("demo plan active", plan_id=plan["id"])
