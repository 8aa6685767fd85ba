"""Demo data for the portal (``make run``): the demo operator gets a mail contact, and on the
first start one rectification notice is issued to it, so the portal inbox, the findings pages
and the local mailbox (the embedded SMTP server) have something to show. Idempotent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import structlog

from audit import clock
from audit.domain.accounts.services import actor_of, get_user
from audit.domain.accounts.tables import User
from audit.domain.notices.tables import Notice
from audit.domain.operators.services import find_operator
from audit.domain.operators.tables import Operator

log = structlog.get_logger("audit.demo")
DEMO_OPERATOR = "示例电信股份有限公司"
CONTACT = {"name": "服务质量部", "role": "整改联系人", "email": "quality@demo-telecom.example"}


async def load(app: Any) -> None:
    op = await find_operator(DEMO_OPERATOR)
    if op is None:
        return
    contacts = op["contacts"] if not isinstance(op["contacts"], str) else json.loads(op["contacts"])
    if not any(c.get("email") for c in contacts):
        await Operator.update({Operator.contacts: [*contacts, CONTACT]}).where(
            Operator._meta.primary_key == op["id"]
        )
    await User.update({User.email: "operator1@demo-telecom.example"}).where(
        (User.username == "operator1") & User.email.is_null()
    )
    if await Notice.exists().where(Notice.operator == op["id"]):
        return
    await _demo_notice(op["id"])


async def _demo_notice(operator_id: int) -> None:
    from audit.domain.notices import issuing, services
    from audit.notices import demo

    users = {
        r["username"]: r["id"]
        for r in await User.select(User.id, User.username).where(
            User.username.is_in(["inspector1", "supervisor"])
        )
    }
    if len(users) < 2:
        return
    drafter = actor_of(await get_user(users["inspector1"]))
    approver = actor_of(await get_user(users["supervisor"]))
    content = demo.rectification(long=False).model_dump(mode="json")
    content["deadline"] = (clock.today("Asia/Shanghai") + dt.timedelta(days=15)).isoformat()
    draft = await services.create_draft(drafter, "rectification", operator_id, content)
    await services.approve(draft["id"], approver)
    notice = await issuing.issue(draft["id"], approver)
    log.info("demo notice issued", number=notice["number"])
