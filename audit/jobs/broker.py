"""The Taskiq broker and scheduler: in-process by default, on Redis when AUDIT_BROKER_URL is set.

- Embedded (no ``AUDIT_BROKER_URL``, or ``memory://``): :class:`InMemoryBroker`; tasks run as
  asyncio tasks inside the web app, and the app runs the scheduler loop itself
  (:func:`start_embedded`). ``make run`` needs nothing else.
- Distributed (``AUDIT_BROKER_URL=redis://host:6379/0``): taskiq-redis ``ListQueueBroker``;
  ``audit worker`` processes (any number, any machine) execute tasks, one ``audit scheduler``
  sends the periodic ones (label schedules) and one-off ones (``ListRedisScheduleSource``).

Exactly-once does not rest on the broker: a list queue can lose a message when a worker dies
and a scheduler tick can be delivered twice, so every task claims its database row atomically
and the periodic dispatcher re-sends what was lost (see ``audit.domain.campaigns.tasks``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

import structlog
from taskiq import AsyncBroker, InMemoryBroker, TaskiqEvents, TaskiqScheduler, TaskiqState
from taskiq.cli.scheduler.run import SchedulerLoop
from taskiq.schedule_sources import LabelScheduleSource

log = structlog.get_logger("audit.jobs")
WARM_IMPORTS = (
    "twilio.rest",
    "twilio.rest.api.v2010.account.call",
    "twilio.http.async_http_client",
    "audit.domain.probing.services",
    "audit.domain.probing.finish",
)


def configured_url() -> str | None:
    """``AUDIT_BROKER_URL`` (via settings when they load, else the environment)."""
    try:
        from audit.settings import get_settings

        url = get_settings().broker_url
    except Exception:  # settings invalid for unrelated reasons: the env var still decides
        url = os.environ.get("AUDIT_BROKER_URL")
    if not url or url.startswith("memory"):
        return None
    return url


def is_distributed(url: str | None) -> bool:
    return url is not None


def build_broker(url: str | None) -> AsyncBroker:
    if url is None:
        # Results are not read back (task state lives in the database): keep few.
        return InMemoryBroker(max_stored_results=100, max_async_tasks=1000)
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"AUDIT_BROKER_URL: {url!r} must be a redis:// URL or memory://")
    from taskiq_redis import ListQueueBroker, RedisAsyncResultBackend

    from audit.jobs.config import get_job_settings

    queue = get_job_settings().broker_queue
    backend: RedisAsyncResultBackend[Any] = RedisAsyncResultBackend(url, result_ex_time=3600)
    return ListQueueBroker(url, queue_name=queue).with_result_backend(backend)


BROKER_URL = configured_url()
broker: AsyncBroker = build_broker(BROKER_URL)


def task_modules() -> list[str]:
    """Every ``audit/domain/<name>/tasks.py``: imported by workers and the scheduler."""
    from audit.domains import domain_names, has_module

    return [f"audit.domain.{n}.tasks" for n in domain_names() if has_module(n, "tasks")]


def import_tasks() -> None:
    import importlib

    for module in task_modules():
        importlib.import_module(module)


def build_scheduler() -> TaskiqScheduler:
    sources: list[Any] = [LabelScheduleSource(broker)]
    if BROKER_URL is not None:
        from taskiq_redis import ListRedisScheduleSource

        from audit.jobs.config import get_job_settings

        prefix = f"{get_job_settings().broker_queue}:schedule"
        sources.append(ListRedisScheduleSource(BROKER_URL, prefix=prefix))
    return TaskiqScheduler(broker, sources=sources)


def scheduler_factory() -> TaskiqScheduler:
    """Entry point for ``taskiq scheduler audit.jobs.broker:scheduler_factory``."""
    import_tasks()
    return build_scheduler()


@broker.on_event(TaskiqEvents.WORKER_STARTUP)
async def _worker_startup(state: TaskiqState) -> None:
    # A worker process is not the web app: open the database pool ourselves.
    from audit import db
    from audit.logging import configure_logging
    from audit.settings import get_settings

    settings = get_settings()
    configure_logging(settings)
    await db.start(settings)
    # Import the task modules' heavy dependencies now (the twilio SDK takes seconds on a
    # busy machine): an import inside a task blocks the event loop, heartbeats included.
    import_tasks()
    import importlib

    for module in WARM_IMPORTS:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    log.info("worker started", pid=os.getpid())


@broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
async def _worker_shutdown(state: TaskiqState) -> None:
    from audit import db

    await db.stop()


class EmbeddedJobs:
    """The in-process scheduler loop of the embedded mode (started by the web app)."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if BROKER_URL is not None or self.running:
            return  # distributed: workers and `audit scheduler` do this
        import_tasks()
        # One dispatcher tick a second would otherwise log two lines a second.
        for name in ("taskiq.cli.scheduler.run", "taskiq.receiver.receiver"):
            logging.getLogger(name).setLevel(logging.WARNING)
        await broker.startup()
        scheduler = build_scheduler()
        for source in scheduler.sources:
            await source.startup()
        loop = SchedulerLoop(scheduler)
        self._task = asyncio.create_task(loop.run(skip_first_run=True), name="audit-scheduler")
        log.info("embedded job scheduler started")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            await broker.shutdown()


embedded = EmbeddedJobs()
