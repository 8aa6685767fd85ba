"""Start-up: complete the follow-ups of triggers a crash left pending (followup.py).

The sweep is sent as a job (in-process when embedded, to a worker when distributed), so a long
backlog does not hold up the server's start; the periodic job repeats it.
"""

from __future__ import annotations

from typing import Any

import structlog

log = structlog.get_logger("audit.complaints")


async def on_startup(app: Any) -> None:
    from audit.domain.complaints.tasks import followup_sweep_task

    try:
        await followup_sweep_task.kiq()
    except Exception as exc:  # the periodic sweep will do it; the server must still start
        log.warning("follow-up sweep not sent at start-up", error=f"{type(exc).__name__}: {exc}")
