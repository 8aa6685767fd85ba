"""Taskiq jobs of the portal (embedded in-process, or on Redis workers):

- ``portal.deadlines`` (every ``AUDIT_PORTAL_DEADLINES_INTERVAL_S``): reminders, overdue,
  escalation and draft follow-up notices.
- ``portal.verification`` (every ``AUDIT_PORTAL_VERIFICATION_INTERVAL_S``): settles findings
  whose re-probe campaign or re-inspection has finished.
Both are idempotent: a state or a sent-reminder mark is checked and moved conditionally.
"""

from __future__ import annotations

from audit.domain.portal import overdue, verification
from audit.domain.portal.config import get_portal_settings
from audit.jobs.broker import broker

_settings = get_portal_settings()


@broker.task(
    task_name="portal.deadlines",
    schedule=[{"interval": _settings.deadlines_interval_s, "schedule_id": "portal.deadlines"}],
)
async def deadlines_task() -> dict[str, int]:
    return await overdue.check_deadlines()


@broker.task(
    task_name="portal.verification",
    schedule=[
        {"interval": _settings.verification_interval_s, "schedule_id": "portal.verification"}
    ],
)
async def verification_task() -> dict[str, int]:
    return await verification.evaluate_all()
