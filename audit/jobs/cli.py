"""``audit worker`` and ``audit scheduler``: the distributed job processes (Taskiq on Redis).

Also runnable as ``python -m audit.jobs worker|scheduler``.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

import click


def _require_broker() -> str:
    from audit.jobs.broker import BROKER_URL

    if BROKER_URL is None:
        click.echo(
            "error: AUDIT_BROKER_URL: not set (e.g. redis://127.0.0.1:6379/0); without it jobs "
            "run inside the web app and no separate worker or scheduler is needed",
            err=True,
        )
        sys.exit(2)
    return BROKER_URL


@click.command("worker", help="Run job worker processes (needs AUDIT_BROKER_URL).")
@click.option("--workers", "-w", default=1, show_default=True, type=click.IntRange(1, 256))
@click.option(
    "--max-async-tasks",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="concurrent tasks per process (a probe call is mostly waiting)",
)
@click.option("--log-level", default="INFO", show_default=True)
def worker(workers: int, max_async_tasks: int, log_level: str) -> None:
    from taskiq.cli.common_args import LogLevel
    from taskiq.cli.worker.args import WorkerArgs
    from taskiq.cli.worker.run import run_worker

    from audit.jobs.broker import task_modules

    _require_broker()
    args = WorkerArgs(
        broker="audit.jobs.broker:broker",
        modules=task_modules(),
        workers=workers,
        max_async_tasks=max_async_tasks,
        log_level=LogLevel[log_level.upper()],
        shutdown_timeout=30,
    )
    sys.exit(run_worker(args) or 0)


@click.command("scheduler", help="Run the one job scheduler (needs AUDIT_BROKER_URL).")
@click.option("--log-level", default="WARNING", show_default=True, help="INFO logs every tick sent")
def scheduler(log_level: str) -> None:
    from taskiq.cli.common_args import LogLevel
    from taskiq.cli.scheduler.args import SchedulerArgs
    from taskiq.cli.scheduler.run import run_scheduler

    from audit.jobs.broker import scheduler_factory, task_modules

    _require_broker()
    args = SchedulerArgs(
        scheduler=scheduler_factory(),
        modules=task_modules(),
        log_level=LogLevel[log_level.upper()],
        skip_first_run=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_scheduler(args))


COMMANDS = [worker, scheduler]


@click.group()
def main() -> None:
    pass


for _command in COMMANDS:
    main.add_command(_command)
