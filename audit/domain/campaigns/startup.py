"""Embedded mode: the web app runs the job scheduler itself (no AUDIT_BROKER_URL)."""

from __future__ import annotations

from typing import Any

from audit.jobs.broker import embedded
from audit.jobs.config import get_job_settings


async def on_startup(app: Any) -> None:
    if get_job_settings().embedded_jobs:
        await embedded.start()  # does nothing when jobs are distributed


async def on_shutdown(app: Any) -> None:
    await embedded.stop()
