"""A run's ``attempts`` counts tries (1 when the first succeeded), and a run retried after a
probe failure and then answered shows its result, not the earlier error (kept in history)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from audit.domain.campaigns import dispatch, services
from audit.domain.campaigns.tables import CampaignRun


async def _claimed(setup: dict[str, Any], make: Callable[..., Awaitable[int]]) -> dispatch.Claim:
    await make(setup, runs=1)
    run_id = (await dispatch.queue_due_runs(limit=1))[0]
    got = await dispatch.claim(run_id)
    assert got is not None
    return got


async def _row(run_id: int) -> dict[str, Any]:
    row = await CampaignRun.select().where(CampaignRun.id == run_id).first()
    assert row is not None
    return dict(row)


async def test_first_try_success_is_one_attempt(
    plan_setup: dict[str, Any], running_campaign: Callable[..., Awaitable[int]]
) -> None:
    got = await _claimed(plan_setup, running_campaign)
    assert await dispatch.finish(got.run_id, got.token, {"outcome": "answered",
                                                         "answer_seconds": 3.0})  # fmt: skip
    r = await _row(got.run_id)
    assert (r["status"], r["outcome"], r["attempts"], r["error"]) == ("done", "answered", 1, None)


async def test_retried_then_answered_shows_the_answer(
    plan_setup: dict[str, Any], running_campaign: Callable[..., Awaitable[int]]
) -> None:
    got = await _claimed(plan_setup, running_campaign)
    verdict = await dispatch.fail_attempt(
        got.run_id, got.token, error="Twilio 20429: rate limited", code=20429,
        permanent=False, max_attempts=3, retry_delay_s=0,
    )  # fmt: skip
    assert verdict == "retry"
    assert got.run_id in await dispatch.queue_due_runs(limit=5)
    again = await dispatch.claim(got.run_id)
    assert again is not None
    assert await dispatch.finish(again.run_id, again.token, {"outcome": "answered",
                                                             "answer_seconds": 4.0})  # fmt: skip
    r = await _row(got.run_id)
    assert (r["status"], r["outcome"], r["attempts"]) == ("done", "answered", 2)
    assert (r["error"], r["error_code"]) == (None, None)
    history = r["history"] if isinstance(r["history"], list) else json.loads(r["history"])
    assert [(h["attempt"], h["code"]) for h in history] == [(1, 20429)]
    # what the API lists for the run
    campaign_id = int(r["campaign"])
    runs = await services.list_runs(campaign_id, plan_setup["cast"].actor("supervisor"))
    (listed,) = [run for run in runs if run["id"] == got.run_id]
    assert (listed["attempts"], listed["error"], listed["outcome"]) == (2, None, "answered")
