"""Deadlines (issue 17): reminders before a finding's deadline (default 3 days and 1 day),
and once the deadline has passed with nothing reported — the item becomes ``overdue``, the
operator is told, the supervisors get an escalation, and a draft follow-up notice citing the
consequence (Interim Measures on Service-Quality Supervision, Art. 21: warning or fine) waits
for a supervisor's approval.

A deadline is a date in the regulator's zone: "by 23 December" means the item is overdue from
00:00 on 24 December. Everything reads the injectable clock (``audit.clock``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import structlog

from audit import clock
from audit.context import Actor
from audit.domain.notices.services import create_draft, write_tx
from audit.domain.notices.services import load as load_notice
from audit.domain.portal import items, notify, states
from audit.domain.portal.config import get_portal_settings
from audit.domain.portal.tables import FindingItem
from audit.domain.portal.workdays import add_working_days

log = structlog.get_logger("audit.portal")
WATCHER = Actor(id=None, name="system (deadlines)", role="system")
LIVE = ("issued", "delivered", "acknowledged")
STATUS_TEXT = {
    "open": "未报告整改情况",
    "upheld": "申辩未获支持,未报告整改情况",
    "adjusted": "结论调整后未报告整改情况",
    "reopened": "复查不合格,未重新报告整改情况",
}


def _today() -> dt.date:
    from audit.settings import get_settings

    return clock.today(get_settings().zone)


async def _remind(notice: dict[str, Any], owing: list[dict[str, Any]], today: dt.date) -> int:
    sent = 0
    by_deadline: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for item in owing:
        left = (item["deadline"] - today).days
        if left < 0:
            continue
        # the smallest reminder not yet sent whose day has come (a missed 3-day reminder is
        # not sent late next to the 1-day one)
        due = [
            d for d in get_portal_settings().reminders if left <= d and d not in item["reminders"]
        ]
        if due:
            by_deadline[item["deadline"]].append({**item, "_due": due})
    for deadline, batch in sorted(by_deadline.items()):
        left = (deadline - today).days
        async with write_tx():
            await notify.reminder(notice, batch, left)
            for item in batch:
                await items.update_fields(
                    item["id"],
                    WATCHER,
                    "reminder",
                    {FindingItem.reminders: sorted({*item["reminders"], *item["_due"]})},
                    {"days_left": left},
                )
        sent += 1
    return sent


async def _followup_draft(
    notice: dict[str, Any], late: list[dict[str, Any]], today: dt.date
) -> dict[str, Any]:
    from audit.domain.portal.review import DRAFTER

    first = await load_notice(late[0]["first_notice"])
    content = {
        "notice_ref": notice["number"],
        "notice_date": str(first["issue_date"]),
        "findings": [
            {
                "item": i["title"],
                "deadline": str(i["deadline"]),
                "status": STATUS_TEXT.get(i["state"], "未整改"),
            }
            for i in late
        ],
        "new_deadline": add_working_days(
            today, get_portal_settings().followup_working_days
        ).isoformat(),
    }
    return await create_draft(
        DRAFTER,
        "overdue_followup",
        notice["operator_id"],
        content,
        {"followup_of": notice["id"], "finding_ids": [i["id"] for i in late]},
    )


async def _escalate(notice: dict[str, Any], late: list[dict[str, Any]], today: dt.date) -> None:
    now = clock.now()
    async with write_tx():
        draft = await _followup_draft(notice, late, today)
        moved = []
        for item in late:
            moved.append(
                await items.move(
                    item["id"],
                    "mark_overdue",
                    WATCHER,
                    {
                        FindingItem.overdue_at: now,
                        FindingItem.escalated_at: now,
                        FindingItem.followup_notice_id: draft["id"],
                    },
                    {"deadline": str(item["deadline"]), "followup_notice_id": draft["id"]},
                )
            )
        await notify.overdue(notice, moved)
        await notify.escalation(notice, moved, draft["id"])


async def check_deadlines() -> dict[str, int]:
    """One pass (the periodic job): reminders due today, and overdue escalation."""
    today = _today()
    candidates = await items.list_items(
        states_in=["open", "reopened", "upheld", "adjusted"], limit=100_000
    )
    by_notice: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in candidates:
        if item["deadline"] is not None and states.owes_rectification(item):
            by_notice[item["notice_id"]].append(item)
    counts = {"reminders": 0, "overdue": 0, "escalations": 0}
    for notice_id, owing in sorted(by_notice.items()):
        notice = await load_notice(notice_id)
        if notice["status"] not in LIVE:
            continue
        counts["reminders"] += await _remind(notice, owing, today)
        late = [i for i in owing if today > i["deadline"]]
        if late:
            await _escalate(notice, await _fresh(late), today)
            counts["overdue"] += len(late)
            counts["escalations"] += 1
    if any(counts.values()):
        log.info("deadlines checked", **counts)
    return counts


async def _fresh(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [await items.load(r["id"]) for r in rows]  # versions moved by the reminders
