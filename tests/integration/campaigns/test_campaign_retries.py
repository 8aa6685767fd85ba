"""Retries only for probe failures, never for no-answer or busy; permanent errors stop."""

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from audit.domain.campaigns import dispatch
from audit.domain.campaigns.tables import CampaignRun


@pytest.fixture
async def claim_one(
    plan_setup: dict[str, Any], running_campaign: Callable[..., Awaitable[int]]
) -> dispatch.Claim:
    await running_campaign(plan_setup, runs=1)
    run_id = (await dispatch.queue_due_runs(limit=1))[0]
    got = await dispatch.claim(run_id)
    assert got is not None
    return got


async def row(run_id: int) -> dict[str, Any]:
    return await CampaignRun.select().where(CampaignRun.id == run_id).first()  # type: ignore[no-any-return]


async def test_transient_probe_failure_is_retried_later(claim_one: dispatch.Claim) -> None:
    got = claim_one
    before = dt.datetime.now(dt.UTC)
    verdict = await dispatch.fail_attempt(
        got.run_id,
        got.token,
        error="Twilio 20429: rate limited",
        code=20429,
        permanent=False,
        max_attempts=3,
        retry_delay_s=60,
    )
    assert verdict == "retry"
    r = await row(got.run_id)
    assert (r["status"], r["attempts"], r["error_code"]) == ("planned", 1, 20429)
    assert r["scheduled_at"] >= before + dt.timedelta(seconds=59)


async def test_attempts_run_out(claim_one: dispatch.Claim) -> None:
    got = claim_one
    for attempt in range(1, 4):
        verdict = await dispatch.fail_attempt(
            got.run_id,
            got.token,
            error="cannot reach Twilio",
            code=None,
            permanent=False,
            max_attempts=3,
            retry_delay_s=0,
        )
        if attempt < 3:
            assert verdict == "retry"
            assert got.run_id in await dispatch.queue_due_runs(limit=10)
            again = await dispatch.claim(got.run_id)
            assert again is not None
            got = again
    assert verdict == "failed"
    r = await row(got.run_id)
    assert (r["status"], r["attempts"], r["outcome"]) == ("failed", 3, "failed")
    history = r["history"] if isinstance(r["history"], list) else json.loads(r["history"])
    assert [h["attempt"] for h in history] == [1, 2, 3]


async def test_permanent_failure_is_not_retried(claim_one: dispatch.Claim) -> None:
    got = claim_one
    verdict = await dispatch.fail_attempt(
        got.run_id,
        got.token,
        error="Twilio 21211: invalid 'To' phone number",
        code=21211,
        permanent=True,
        max_attempts=5,
        retry_delay_s=0,
    )
    assert verdict == "failed"
    assert (await row(got.run_id))["status"] == "failed"


async def test_busy_and_no_answer_are_results(claim_one: dispatch.Claim) -> None:
    got = claim_one
    assert await dispatch.finish(got.run_id, got.token, {"outcome": "busy"})
    r = await row(got.run_id)
    assert (r["status"], r["outcome"], r["attempts"]) == ("done", "busy", 1)
