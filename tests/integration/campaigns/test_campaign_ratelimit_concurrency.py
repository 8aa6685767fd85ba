"""Concurrent calls: per-account maximum across workers, per-target cap and interval."""

import asyncio
from collections.abc import Callable

from audit.jobs.ratelimit import Denied, Permit, RateLimiter, RateLimits

LimiterFactory = Callable[[RateLimits], RateLimiter]


async def test_account_maximum_holds_across_workers(make_limiter: LimiterFactory) -> None:
    limits = RateLimits(cps=1000, burst=1000, max_concurrent=3, per_target_concurrent=100)
    workers = [make_limiter(limits) for _ in range(4)]
    holding = 0
    peak = 0
    done = 0

    async def call(i: int) -> None:
        nonlocal holding, peak, done
        permit = await workers[i % 4].acquire("AC1", f"+86100{i % 5}", timeout=20)
        holding += 1
        peak = max(peak, holding)
        await asyncio.sleep(0.01)
        holding -= 1
        await workers[i % 4].release(permit)
        done += 1

    await asyncio.gather(*(call(i) for i in range(24)))
    assert done == 24
    assert peak == 3
    assert await workers[0].active("AC1") == 0


async def test_per_target_cap_blocks_only_that_target(make_limiter: LimiterFactory) -> None:
    rl = make_limiter(RateLimits(cps=1000, burst=100, max_concurrent=10, per_target_concurrent=1))
    first = await rl.try_acquire("AC1", "+8610086")
    assert isinstance(first, Permit)
    again = await rl.try_acquire("AC1", "+8610086")
    assert isinstance(again, Denied) and again.reason == "target_concurrency"
    assert isinstance(await rl.try_acquire("AC1", "+8610010"), Permit)
    await rl.release(first)
    assert isinstance(await rl.try_acquire("AC1", "+8610086"), Permit)


async def test_account_cap_reason(make_limiter: LimiterFactory) -> None:
    rl = make_limiter(RateLimits(cps=1000, burst=100, max_concurrent=1, per_target_concurrent=5))
    assert isinstance(await rl.try_acquire("AC1", "+8610086"), Permit)
    denied = await rl.try_acquire("AC1", "+8610010")
    assert isinstance(denied, Denied) and denied.reason == "concurrency"


async def test_min_interval_between_calls_to_one_target(make_limiter: LimiterFactory) -> None:
    limits = RateLimits(cps=1000, burst=100, per_target_concurrent=5, per_target_min_interval_s=30)
    rl = make_limiter(limits)
    assert isinstance(await rl.try_acquire("AC1", "+8610086"), Permit)
    denied = await rl.try_acquire("AC1", "+8610086")
    assert isinstance(denied, Denied) and denied.reason == "target_interval"
    assert 29 < denied.retry_after_s <= 30
    assert isinstance(await rl.try_acquire("AC1", "+8610010"), Permit)


async def test_denial_takes_nothing(make_limiter: LimiterFactory) -> None:
    # A call refused by the cps cap must not keep a concurrency slot.
    rl = make_limiter(RateLimits(cps=1, max_concurrent=5, per_target_concurrent=5))
    assert isinstance(await rl.try_acquire("AC1", "+8610086"), Permit)
    assert isinstance(await rl.try_acquire("AC1", "+8610010"), Denied)
    assert await rl.active("AC1") == 1
