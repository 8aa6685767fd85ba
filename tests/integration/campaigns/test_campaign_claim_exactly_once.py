"""A run is claimed by exactly one contender; duplicate ticks, deliveries and finishes are
harmless; a replaced worker cannot overwrite the reconciler's result."""

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from audit.domain.campaigns import dispatch, services
from audit.domain.campaigns.tables import CampaignRun

Starter = Callable[..., Awaitable[int]]


async def test_concurrent_dispatch_ticks_queue_each_run_once(
    plan_setup: dict[str, Any], running_campaign: Starter
) -> None:
    await running_campaign(plan_setup)
    a, b, c = await asyncio.gather(*(dispatch.queue_due_runs(limit=100) for _ in range(3)))
    queued = [*a, *b, *c]
    assert len(queued) == len(set(queued)) == 10


async def test_concurrent_claims_have_one_winner(
    plan_setup: dict[str, Any], running_campaign: Starter
) -> None:
    await running_campaign(plan_setup)
    ids = await dispatch.queue_due_runs(limit=100)
    for run_id in ids:
        claims = await asyncio.gather(*(dispatch.claim(run_id, f"w{i}") for i in range(6)))
        winners = [c for c in claims if c is not None]
        assert len(winners) == 1, claims
    # Delivered again later: nothing to claim.
    assert await dispatch.claim(ids[0]) is None


async def test_duplicate_finish_counts_once(
    plan_setup: dict[str, Any], running_campaign: Starter
) -> None:
    cid = await running_campaign(plan_setup, runs=1)
    run_id = (await dispatch.queue_due_runs(limit=1))[0]
    got = await dispatch.claim(run_id)
    assert got is not None
    result = {"outcome": "answered", "answer_seconds": 3.0}
    assert await dispatch.finish(got.run_id, got.token, result)
    assert not await dispatch.finish(got.run_id, got.token, {"outcome": "busy"})
    row = await CampaignRun.select().where(CampaignRun.id == run_id).first()
    assert (row["status"], row["outcome"]) == ("done", "answered")
    p = await services.progress(cid, plan_setup["cast"].actor("admin"))
    assert p["done"] == 1


async def test_replaced_worker_cannot_write(
    plan_setup: dict[str, Any], running_campaign: Starter
) -> None:
    await running_campaign(plan_setup, runs=1)
    run_id = (await dispatch.queue_due_runs(limit=1))[0]
    got = await dispatch.claim(run_id)
    assert got is not None
    # The worker goes silent; the reconciler takes the run over.
    stale = await dispatch.stale_runs(older_than_s=0)
    assert [r["id"] for r in stale] == [run_id]
    token = await dispatch.take_over(run_id, got.token, "reconciler")
    assert token is not None
    assert await dispatch.take_over(run_id, got.token, "reconciler-2") is None
    assert not await dispatch.heartbeat(run_id, got.token)
    assert not await dispatch.finish(run_id, got.token, {"outcome": "busy"})
    assert await dispatch.finish(run_id, token, {"outcome": "no_answer", "rang": "true"})
    row = await CampaignRun.select().where(CampaignRun.id == run_id).first()
    assert row["outcome"] == "no_answer"


async def test_lost_message_is_sent_again(
    plan_setup: dict[str, Any], running_campaign: Starter
) -> None:
    await running_campaign(plan_setup, runs=1)
    ids = await dispatch.queue_due_runs(limit=10)
    assert await dispatch.lost_queued_runs(older_than_s=3600) == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    assert sorted(await dispatch.lost_queued_runs(older_than_s=60, at=later)) == sorted(ids)
    # Re-sent once per period, not on every tick.
    assert await dispatch.lost_queued_runs(older_than_s=60, at=later) == []
