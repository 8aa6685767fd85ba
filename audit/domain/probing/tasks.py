"""Taskiq jobs of probing (embedded in-process, or on Redis workers):

- ``probing.finish(run_id)``: fetch the evidence, compute the measures, judge the items
  (finish.py); sent by the lifecycle when a run's terminal event arrives and for every later
  event. Safe to deliver twice or run concurrently: results are stored only from current
  inputs.
- ``probing.sweep`` (every ``AUDIT_PROBE_SWEEP_INTERVAL_S``): re-sends the finish of runs
  whose message was lost (a worker died, the process stopped between claim and send).
"""

from __future__ import annotations

import datetime as dt

import structlog
from piccolo.columns.combination import WhereRaw

from audit.domain.probing.finish import finish_run
from audit.domain.probing.lifecycle import FINISH_TASK
from audit.domain.probing.tables import REFRESHABLE, ProbeRun
from audit.jobs.broker import broker
from audit.jobs.config import get_job_settings

log = structlog.get_logger("audit.probing")
_jobs = get_job_settings()


@broker.task(task_name=FINISH_TASK)
async def finish_task(run_id: int) -> str:
    return await finish_run(run_id)


async def sweep_once(older_than_s: float) -> list[int]:
    """Runs left analysing, or finished from older events than they have, for longer than
    ``older_than_s``: send their finish again."""
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=older_than_s)
    stuck = (ProbeRun.status == "analysing") | (
        ProbeRun.status.is_in(list(REFRESHABLE))
        & WhereRaw("finished_seq <> event_seq")  # NULL: finished before sequences existed
    )
    rows = await ProbeRun.select(ProbeRun.id).where(stuck & (ProbeRun.updated_at < cutoff))
    ids = [int(r["id"]) for r in rows]
    for run_id in ids:
        await finish_task.kiq(run_id)
    if ids:
        log.info("probe finishes re-sent", runs=ids)
    return ids


@broker.task(
    task_name="probing.sweep",
    schedule=[{"interval": _jobs.probe_sweep_interval_s, "schedule_id": "probing.sweep"}],
)
async def sweep_task() -> int:
    return len(await sweep_once(_jobs.probe_sweep_after_s))
