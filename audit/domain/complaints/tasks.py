"""Taskiq tasks of complaints (imported by ``audit worker`` and the embedded app).

- ``complaints.followup_sweep`` (at start-up and every ``AUDIT_FOLLOWUP_SWEEP_INTERVAL_S``):
  draft the order and plan of every trigger left pending (see followup.py).
"""

from __future__ import annotations

from audit.domain.complaints import followup
from audit.jobs.broker import broker
from audit.jobs.config import get_job_settings

_jobs = get_job_settings()


@broker.task(
    task_name="complaints.followup_sweep",
    schedule=[
        {"interval": _jobs.followup_sweep_interval_s, "schedule_id": "complaints.followup_sweep"}
    ],
)
async def followup_sweep_task() -> int:
    return await followup.sweep()
