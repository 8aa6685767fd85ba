"""A webhook receiver that is down gets the event again with exponential backoff, as Taskiq
jobs, until it answers; every attempt is recorded once under its own attempt id — also when the
broker hands the same job to two workers — and a receiver that never comes back puts the
delivery on the dead-letter list only after 24 hours, from where "resend" delivers it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from itertools import pairwise
from typing import Any

import pytest

from tests.portal_support import Receiver


@pytest.fixture
async def broker() -> AsyncIterator[Any]:
    from audit.jobs.broker import broker as jobs

    await jobs.startup()
    yield jobs
    await jobs.wait_all()


async def _one_event(cast: Any, receiver: Receiver) -> int:
    from audit.db import engine
    from audit.domain.delivery import outbox, webhooks

    endpoint = await webhooks.register(cast.operator_a["id"], receiver.url, [], cast.actor("op_a"))
    receiver.secret = endpoint["secret"]
    async with engine().transaction():
        (delivery_id,) = await outbox.enqueue(
            "finding.closed",
            operator_id=cast.operator_a["id"],
            notice_id=None,
            data={"finding_id": 1},
            mail=None,
        )
    return delivery_id


async def _tick(broker: Any) -> None:
    from audit.domain.delivery.tasks import dispatch_once

    await dispatch_once()
    await broker.wait_all()


async def test_down_then_up_one_delivery_per_attempt(
    cast: Any, receiver: Receiver, broker: Any
) -> None:
    from audit import clock
    from audit.domain.delivery import outbox
    from audit.domain.delivery.tasks import send_task

    delivery_id = await _one_event(cast, receiver)
    receiver.down = True
    start = clock.now()
    with clock.moved_clock(start) as moved:
        await _tick(broker)
        for wait in (60, 120):  # base 60 s, doubling
            moved.advance(dt.timedelta(seconds=wait - 1))
            await _tick(broker)  # not due yet: nothing sent
            moved.advance(dt.timedelta(seconds=1))
            await _tick(broker)
        assert len(receiver.refused) == 3
        receiver.down = False
        moved.advance(dt.timedelta(seconds=240))
        # the broker delivers the same job twice: one attempt only
        await asyncio.gather(send_task.kiq(delivery_id), send_task.kiq(delivery_id))
        await broker.wait_all()
        await _tick(broker)
    row = await outbox.get_delivery(delivery_id)
    assert row["status"] == "delivered" and row["attempts"] == 4
    log = row["attempt_log"]
    assert [a["number"] for a in log] == [1, 2, 3, 4]
    assert [a["outcome"] for a in log] == ["error", "error", "error", "ok"]
    assert [a["status_code"] for a in log] == [500, 500, 500, 200]
    # each retry waits its backoff (60, 120, 240 s) after the failed attempt ended
    gaps = [(b["started_at"] - a["finished_at"]).total_seconds() for a, b in pairwise(log)]
    assert all(w <= g < w + 5 for g, w in zip(gaps, (60, 120, 240), strict=True)), gaps
    ids = receiver.refused + [r.attempt_id for r in receiver.received]
    assert ids == [a["attempt_id"] for a in log] and len(set(ids)) == 4
    (hit,) = receiver.received
    assert hit.signature_ok and hit.delivery_id == row["event_id"]


async def test_dead_after_a_day_then_resend(cast: Any, receiver: Receiver, broker: Any) -> None:
    from audit import clock
    from audit.domain.delivery import outbox
    from audit.domain.delivery.config import get_delivery_settings

    delivery_id = await _one_event(cast, receiver)
    receiver.down = True
    with clock.moved_clock(clock.now()) as moved:
        for _ in range(40):
            await _tick(broker)
            row = await outbox.get_delivery(delivery_id)
            if row["status"] == "dead":
                break
            moved.advance(row["next_attempt_at"] - clock.now())
        assert row["status"] == "dead"
        span = row["dead_at"] - row["attempt_log"][0]["started_at"]
        assert span >= dt.timedelta(hours=24)
        assert span < dt.timedelta(hours=24) + dt.timedelta(
            seconds=get_delivery_settings().delivery_retry_max_s + 1
        )
        assert [d["id"] for d in await outbox.list_deliveries(status="dead")] == [delivery_id]
        receiver.down = False
        await outbox.resend(delivery_id, cast.actor("supervisor"))
        await _tick(broker)
    row = await outbox.get_delivery(delivery_id)
    assert row["status"] == "delivered"
    assert len(receiver.received) == 1 and len(receiver.refused) == row["attempts"] - 1


async def test_slow_receiver_times_out_and_is_retried(
    cast: Any, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.domain.delivery import outbox, sending
    from audit.domain.delivery.config import get_delivery_settings

    monkeypatch.setenv("AUDIT_WEBHOOK_TIMEOUT_S", "0.3")
    get_delivery_settings.cache_clear()
    delivery_id = await _one_event(cast, receiver)
    receiver.delay_s = 2.0
    assert await sending.send(delivery_id) == "retry"
    row = await outbox.get_delivery(delivery_id)
    assert row["attempt_log"][0]["outcome"] == "timeout" and row["status"] == "pending"
