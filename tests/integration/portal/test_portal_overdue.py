"""Nobody answers: with the clock moved forward, reminders go out 3 days and 1 day before the
deadline (once each), and after the deadline the findings turn overdue, the operator is told,
the supervisors get an escalation, and a draft follow-up notice citing the Interim Measures
Art. 21 waits for a supervisor — who approves and issues it. A finding whose rectification
was reported is not overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.portal_world import MANUAL_ITEM, PROBE_ITEM, build


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo("Asia/Shanghai"))


async def _events(operator_id: int | None = None) -> list[dict[str, Any]]:
    from audit.domain.delivery.outbox import list_deliveries

    return await list_deliveries(operator_id=operator_id)


async def test_reminders_then_overdue_escalation(mailed_cast: Any, mail_sink: Any) -> None:
    from audit import clock
    from audit.domain.delivery import sending
    from audit.domain.notices import issuing
    from audit.domain.notices.services import approve, load
    from audit.domain.portal import items, operator_side
    from audit.domain.portal.overdue import check_deadlines
    from tests.unit.notices.pdftools import pdftotext

    cast = mailed_cast
    world = await build(cast, deadline_days=10)
    deadline = world.items[0]["deadline"]
    op_id = cast.operator_a["id"]
    # the probe finding is rectified in time; the manual one is ignored
    await operator_side.report_rectification(
        world.item(PROBE_ITEM)["id"], cast.actor("op_a"), "已整改", clock.today("Asia/Shanghai")
    )

    with clock.moved_clock(_at(deadline - dt.timedelta(days=4))):
        assert (await check_deadlines())["reminders"] == 0
    with clock.moved_clock(_at(deadline - dt.timedelta(days=3))):
        assert (await check_deadlines())["reminders"] == 1
        assert (await check_deadlines())["reminders"] == 0  # once
    with clock.moved_clock(_at(deadline - dt.timedelta(days=1))):
        assert (await check_deadlines())["reminders"] == 1
    reminders = [d for d in await _events(op_id) if d["event"] == "finding.reminder"]
    assert {d["channel"] for d in reminders} == {"email"} and len(reminders) == 2
    with clock.moved_clock(_at(deadline, 23)):
        assert (await check_deadlines())["overdue"] == 0  # the deadline day still counts

    with clock.moved_clock(_at(deadline + dt.timedelta(days=1), 0)):
        counts = await check_deadlines()
        assert counts == {"reminders": 0, "overdue": 1, "escalations": 1}
        assert (await check_deadlines())["overdue"] == 0  # escalated once
        for delivery_id in await sending.due():
            await sending.send(delivery_id)
    manual = await items.load(world.item(MANUAL_ITEM)["id"])
    assert manual["state"] == "overdue" and manual["escalated_at"] is not None
    assert (await items.load(world.item(PROBE_ITEM)["id"]))["state"] == "rectification_reported"

    subjects = [m.subject for m in mail_sink.messages()]
    assert any("逾期未整改" in s for s in subjects)  # the operator
    escalation = next(m for m in mail_sink.messages() if "逾期升级" in m.subject)
    assert "supervisor@regulator.example" in escalation.rcpt_to  # every supervisor
    assert sum("整改期限提醒" in s for s in subjects) == 2

    draft = await load(manual["followup_notice_id"])
    assert draft["notice_type"] == "overdue_followup" and draft["status"] == "draft"
    assert draft["content"]["findings"][0]["item"] == manual["title"]
    assert not draft["missing"] and not draft["invalid"]
    await approve(draft["id"], cast.actor("supervisor"))
    issued = await issuing.issue(draft["id"], cast.actor("supervisor"))
    text = "".join(pdftotext(issuing.pdf_file(issued).read_bytes()).split())
    assert "第二十一条" in text and "逾期不改者" in text and "警告" in text
