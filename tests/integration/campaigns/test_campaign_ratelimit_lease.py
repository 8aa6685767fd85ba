"""Slots are leases: a worker that dies frees its slot when the lease ends; renewal keeps it."""

import asyncio
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest
from redis.asyncio import Redis

from audit.jobs.ratelimit import (
    Denied,
    LeaseLost,
    Permit,
    RateLimiter,
    RateLimits,
    RedisRateLimiter,
)

LimiterFactory = Callable[[RateLimits], RateLimiter]
REDIS_URL = "redis://127.0.0.1:6379/0"

LIMITS = RateLimits(cps=1000, burst=100, max_concurrent=1, per_target_concurrent=1, lease_s=0.4)


async def test_unreleased_slot_frees_after_the_lease(make_limiter: LimiterFactory) -> None:
    rl = make_limiter(LIMITS)
    assert isinstance(await rl.try_acquire("AC1", "+8610086"), Permit)
    assert isinstance(await rl.try_acquire("AC1", "+8610010"), Denied)
    await asyncio.sleep(0.5)
    assert isinstance(await rl.try_acquire("AC1", "+8610010"), Permit)


async def test_renewal_keeps_the_slot_and_expiry_loses_it(make_limiter: LimiterFactory) -> None:
    rl = make_limiter(LIMITS)
    permit = await rl.try_acquire("AC1", "+8610086")
    assert isinstance(permit, Permit)
    for _ in range(3):  # 0.6 s in all: longer than one lease
        await asyncio.sleep(0.2)
        await rl.renew(permit)
    assert isinstance(await rl.try_acquire("AC1", "+8610010"), Denied)
    await asyncio.sleep(0.5)
    with pytest.raises(LeaseLost):
        await rl.renew(permit)


@pytest.mark.redis
async def test_sigkilled_worker_process_frees_its_slot(redis_prefix: str) -> None:
    # A separate process takes the only slot, reports it, and is killed with SIGKILL.
    code = textwrap.dedent(f"""
        import asyncio, sys, time
        from redis.asyncio import Redis
        from audit.jobs.ratelimit import RateLimits, RedisRateLimiter
        async def main():
            rl = RedisRateLimiter(Redis.from_url({REDIS_URL!r}),
                RateLimits(cps=1000, burst=100, max_concurrent=1, lease_s=0.8),
                prefix={redis_prefix!r})
            await rl.acquire("AC1", "+8610086", timeout=5)
            print("held", flush=True)
            await asyncio.sleep(60)
        asyncio.run(main())
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        proc.kill()
        proc.wait(timeout=5)
        client = Redis.from_url(REDIS_URL)
        rl = RedisRateLimiter(
            client, RateLimits(cps=1000, burst=100, max_concurrent=1, lease_s=0.8), redis_prefix
        )
        assert isinstance(await rl.try_acquire("AC1", "+8610010"), Denied)
        permit = await rl.acquire("AC1", "+8610010", timeout=5)
        assert isinstance(permit, Permit)
        await client.aclose()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
