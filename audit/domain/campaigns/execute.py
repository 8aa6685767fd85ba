"""Executing one campaign run on a worker, and reconciling runs whose worker died.

    claim (atomic) → rate-control permit → start the probe → wait for its result,
    renewing the permit's lease and the run's heartbeat → release → record once.

No-answer and busy are results; only probe failures (ours or the carrier's) are retried, up to
the campaign's ``max_attempts``, and permanent ones (invalid number, auth failure) never are.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

import structlog

from audit.domain.campaigns import dispatch, probe_bridge
from audit.domain.campaigns.probe_bridge import ProbeResult
from audit.domain.campaigns.tables import CampaignTarget, ProbeCampaign
from audit.jobs.config import get_job_settings
from audit.jobs.limiter import get_limiter
from audit.jobs.ratelimit import LeaseLost, Permit, RateLimiter, RateLimitTimeout

log = structlog.get_logger("audit.campaigns")
LATE_CHECK_S = 30.0


@dataclass(frozen=True)
class RunContext:
    campaign: dict[str, Any]
    target: dict[str, Any]


async def _context(claim: dispatch.Claim) -> RunContext:
    campaign = await ProbeCampaign.select().where(ProbeCampaign.id == claim.campaign_id).first()
    target = await CampaignTarget.select().where(CampaignTarget.id == claim.target_id).first()
    if campaign is None or target is None:
        raise LookupError(f"campaign run {claim.run_id}: campaign or target vanished")
    return RunContext(campaign, target)


async def record_result(
    claim_run_id: int, token: str, result: ProbeResult, campaign: dict[str, Any]
) -> str | None:
    """Store a finished probe's result on the run (or schedule the retry)."""
    if result.probe_error:
        return await dispatch.fail_attempt(
            claim_run_id,
            token,
            error=result.error or "probe failed",
            code=result.error_code,
            permanent=result.permanent,
            max_attempts=int(campaign["max_attempts"]),
            retry_delay_s=float(campaign["retry_delay_s"]),
        )
    ok = await dispatch.finish(claim_run_id, token, result.as_values())
    return "done" if ok else None


class _Beat:
    """Keeps a claimed run alive for the reconciler: heartbeat and call-slot lease renewal
    every ``AUDIT_HEARTBEAT_S`` for as long as the run executes, whatever it is waiting on."""

    def __init__(self, claim: dispatch.Claim) -> None:
        self.claim = claim
        self.permit: Permit | None = None
        self.lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        jobs = get_job_settings()
        limiter = get_limiter()
        while True:
            await asyncio.sleep(jobs.heartbeat_s)
            if not await dispatch.heartbeat(self.claim.run_id, self.claim.token):
                self.lost.set()  # the reconciler took the run: stop, record nothing
                return
            if self.permit is not None:
                try:
                    await limiter.renew(self.permit)
                except LeaseLost:
                    log.warning("call slot lease lost", run=self.claim.run_id)


async def _wait_for_result(probe_run_id: int, beat: _Beat, expected_s: float) -> ProbeResult | None:
    """Poll the probe run until it ends; None if the run was taken from us meanwhile.

    Results normally arrive through the provider's webhooks. If the call should long be over
    (``expected_s``) and still nothing, the webhooks were lost: ask the provider directly,
    then again every ``LATE_CHECK_S``.
    """
    loop = asyncio.get_running_loop()
    check_at = loop.time() + expected_s
    while not beat.lost.is_set():
        result = await probe_bridge.result_of(probe_run_id)
        if result is not None:
            return result
        if loop.time() >= check_at:
            check_at = loop.time() + LATE_CHECK_S
            try:
                result = await probe_bridge.reconcile(probe_run_id)
            except Exception as exc:  # the provider may be unreachable: keep waiting
                log.warning("late probe check failed", probe_run=probe_run_id, error=str(exc))
            if result is not None:
                return result
        await asyncio.sleep(get_job_settings().result_poll_s)
    return None


async def execute_run(run_id: int) -> str:
    """Run one planned probe; returns what happened (for logs and tests)."""
    claim = await dispatch.claim(run_id)
    if claim is None:
        return "not-claimed"  # duplicate delivery, paused/canceled campaign, or taken
    beat = _Beat(claim)
    beat.start()
    limiter = get_limiter()
    try:
        return await _execute(claim, beat, limiter)
    finally:
        await beat.stop()
        if beat.permit is not None:
            await limiter.release(beat.permit)


async def _execute(claim: dispatch.Claim, beat: _Beat, limiter: RateLimiter) -> str:
    ctx = await _context(claim)
    jobs = get_job_settings()
    try:
        beat.permit = await limiter.acquire(
            str(ctx.campaign["account"]),
            probe_bridge.target_key(ctx.campaign, ctx.target),
            timeout=jobs.rate_limit_wait_s,
        )
    except RateLimitTimeout as exc:
        # Our side could not place the call in time: a probe failure, retried later.
        failed = ProbeResult.failure(str(exc), code=None, permanent=False)
        return await record_result(claim.run_id, claim.token, failed, ctx.campaign) or "lost"
    if beat.lost.is_set():
        return "lost"
    try:
        probe_run_id = await probe_bridge.start(
            campaign=ctx.campaign,
            target=ctx.target,
            caller_id=claim.caller_id,
            campaign_run_id=claim.run_id,
        )
    except probe_bridge.ProbeStartError as exc:
        failed = ProbeResult.failure(str(exc), code=exc.code, permanent=exc.permanent)
        return await record_result(claim.run_id, claim.token, failed, ctx.campaign) or "lost"
    if not await dispatch.heartbeat(claim.run_id, claim.token, probe_run_id=probe_run_id):
        return "lost"
    # Ringing (up to a minute), the call itself, and a margin for the last webhooks.
    expected_s = jobs.result_timeout_s or float(ctx.campaign["listen_s"]) + 90.0
    if ctx.campaign["probe_kind"] == "chat_script":
        # a chat runs in this process: the late check only asks whether it is still alive
        expected_s = jobs.result_timeout_s or 60.0
    result = await _wait_for_result(probe_run_id, beat, expected_s)
    if result is None:
        return "lost"
    return await record_result(claim.run_id, claim.token, result, ctx.campaign) or "lost"


async def reconcile_stale(worker: str = dispatch.WORKER_ID) -> dict[str, int]:
    """Runs stuck in ``running`` because their worker died: settle each exactly once.

    - no probe started: back to planned (no call was placed, nothing to count);
    - probe finished meanwhile (webhooks kept arriving at the web app): record its result;
    - probe still dialing/in call by our records: ask the provider for the call's status and
      recording (``probe_bridge.reconcile``); a call still in progress is left for next time.
    """
    jobs = get_job_settings()
    counts = {"requeued": 0, "recorded": 0, "pending": 0}
    for row in await dispatch.stale_runs(jobs.stale_after_s):
        token = await dispatch.take_over(row["id"], row["claim_token"], f"reconciler@{worker}")
        if token is None:
            continue
        probe_run_id = row["probe_run_id"] or await probe_bridge.find_for_campaign_run(row["id"])
        if probe_run_id is None:
            counts["requeued"] += await dispatch.requeue(row["id"], token)
            continue
        await dispatch.heartbeat(row["id"], token, probe_run_id=probe_run_id)
        result = await probe_bridge.result_of(probe_run_id)
        if result is None:
            result = await probe_bridge.reconcile(probe_run_id)
        if result is None:
            counts["pending"] += 1
            continue
        campaign = (
            await ProbeCampaign.select()
            .where(ProbeCampaign.id == (await dispatch.campaign_of(row["id"])))
            .first()
        )
        if campaign is not None and await record_result(row["id"], token, result, campaign):
            counts["recorded"] += 1
    return counts
