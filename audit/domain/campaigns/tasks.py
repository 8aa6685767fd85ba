"""Taskiq tasks of probe campaigns (imported by ``audit worker`` and the embedded app).

- ``campaigns.execute_run(run_id)``: one probe run; safe to deliver twice (atomic claim).
- ``campaigns.dispatch`` (every ``AUDIT_DISPATCH_INTERVAL_S``): start due campaigns, queue
  due runs and send a task for each, re-send runs whose message was lost, complete campaigns.
- ``campaigns.reconcile`` (every ``AUDIT_RECONCILE_INTERVAL_S``): settle runs whose worker
  died mid-call from the provider's call status and recording.
"""

from __future__ import annotations

import structlog

from audit.domain.campaigns import dispatch
from audit.domain.campaigns.execute import execute_run, reconcile_stale
from audit.jobs.broker import broker
from audit.jobs.config import get_job_settings

log = structlog.get_logger("audit.campaigns")
_jobs = get_job_settings()


@broker.task(task_name="campaigns.execute_run")
async def execute_run_task(run_id: int) -> str:
    outcome = await execute_run(run_id)
    log.info("campaign run", run=run_id, result=outcome)
    return outcome


async def dispatch_once() -> dict[str, int]:
    """One dispatcher pass; also what the periodic task runs."""
    started = await dispatch.start_due_campaigns()
    queued = await dispatch.queue_due_runs(_jobs.dispatch_batch)
    lost = await dispatch.lost_queued_runs(_jobs.requeue_after_s)
    for run_id in [*queued, *lost]:
        await execute_run_task.kiq(run_id)
    completed = await dispatch.complete_finished_campaigns()
    return {
        "started": len(started),
        "queued": len(queued),
        "resent": len(lost),
        "completed": len(completed),
    }


@broker.task(
    task_name="campaigns.dispatch",
    schedule=[{"interval": _jobs.dispatch_interval_s, "schedule_id": "campaigns.dispatch"}],
)
async def dispatch_task() -> dict[str, int]:
    return await dispatch_once()


@broker.task(
    task_name="campaigns.reconcile",
    schedule=[{"interval": _jobs.reconcile_interval_s, "schedule_id": "campaigns.reconcile"}],
)
async def reconcile_task() -> dict[str, int]:
    counts = await reconcile_stale()
    if any(counts.values()):
        log.info("reconciled stale campaign runs", **counts)
    return counts
