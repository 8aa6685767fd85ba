"""Taskiq jobs of delivery (embedded in-process, or on Redis workers):

- ``delivery.send(delivery_id)``: one attempt; safe to run twice (atomic claim).
- ``delivery.dispatch`` (every ``AUDIT_DELIVERY_DISPATCH_INTERVAL_S``): sends a task for each
  due delivery — new ones, retries whose backoff has passed, and ones whose worker died.
"""

from __future__ import annotations

import structlog

from audit.domain.delivery import sending
from audit.domain.delivery.config import get_delivery_settings
from audit.jobs.broker import broker

log = structlog.get_logger("audit.delivery")
_settings = get_delivery_settings()


@broker.task(task_name="delivery.send")
async def send_task(delivery_id: int) -> str:
    return await sending.send(delivery_id)


async def dispatch_once() -> int:
    ids = await sending.due()
    for delivery_id in ids:
        await send_task.kiq(delivery_id)
    return len(ids)


@broker.task(
    task_name="delivery.dispatch",
    schedule=[
        {"interval": _settings.delivery_dispatch_interval_s, "schedule_id": "delivery.dispatch"}
    ],
)
async def dispatch_task() -> int:
    return await dispatch_once()
