"""The calls-per-second cap (GCRA): slots one interval apart, bursts only as configured."""

import asyncio
import time
from collections.abc import Callable

import pytest

from audit.jobs.ratelimit import Denied, Permit, RateLimiter, RateLimits

LimiterFactory = Callable[[RateLimits], RateLimiter]
WIDE = {"max_concurrent": 1000, "per_target_concurrent": 1000}


async def test_slots_are_handed_out_one_interval_apart(make_limiter: LimiterFactory) -> None:
    # cps 4 ⇒ one slot per 0.25 s; slots up to 0.6 s ahead are granted with a delay.
    rl = make_limiter(RateLimits(cps=4, max_delay_s=0.6, **WIDE))
    got = [await rl.try_acquire("AC1", f"+86100{i:02d}") for i in range(4)]
    p1, p2, p3, denied = got
    assert isinstance(p1, Permit) and p1.delay_s == 0
    assert isinstance(p2, Permit) and 0.2 < p2.delay_s <= 0.25
    assert isinstance(p3, Permit) and 0.45 < p3.delay_s <= 0.5
    # The 4th slot is 0.75 s ahead: 0.15 s more than allowed.
    assert isinstance(denied, Denied) and denied.reason == "cps"
    assert 0.1 < denied.retry_after_s <= 0.15


async def test_without_look_ahead_the_second_call_is_refused(make_limiter: LimiterFactory) -> None:
    rl = make_limiter(RateLimits(cps=4, max_delay_s=0, **WIDE))
    assert isinstance(await rl.try_acquire("AC1", "+8610000"), Permit)
    denied = await rl.try_acquire("AC1", "+8610001")
    assert isinstance(denied, Denied) and denied.reason == "cps"
    assert 0.2 < denied.retry_after_s <= 0.25


async def test_burst_allows_that_many_at_once(make_limiter: LimiterFactory) -> None:
    rl = make_limiter(RateLimits(cps=2, burst=3, max_delay_s=0, **WIDE))
    got = [await rl.try_acquire("AC1", f"+86100{i:02d}") for i in range(4)]
    assert [isinstance(g, Permit) for g in got] == [True, True, True, False]
    assert all(g.delay_s == 0 for g in got if isinstance(g, Permit))


async def test_accounts_are_limited_separately(make_limiter: LimiterFactory) -> None:
    rl = make_limiter(RateLimits(cps=1, max_delay_s=0, **WIDE))
    assert isinstance(await rl.try_acquire("AC1", "+8610000"), Permit)
    assert isinstance(await rl.try_acquire("AC2", "+8610000"), Permit)


async def test_many_workers_never_exceed_the_cap(make_limiter: LimiterFactory) -> None:
    limits = RateLimits(cps=20, **WIDE)
    workers = [make_limiter(limits) for _ in range(4)]
    starts: list[float] = []
    begin = time.monotonic()
    stop = begin + 0.6

    async def hammer(i: int) -> None:
        while time.monotonic() < stop:
            await workers[i].acquire("AC1", f"+861000{i}")  # sleeps until its slot
            starts.append(time.monotonic())

    await asyncio.gather(*(hammer(i) for i in range(4)))
    elapsed = max(starts) - begin
    # GCRA with burst 1: the first call, then at most one per 1/cps.
    assert len(starts) <= 1 + 20 * elapsed + 1
    assert len(starts) >= 2


@pytest.mark.parametrize("field", ["cps", "burst", "max_concurrent", "lease_s"])
def test_bad_limits_name_the_field(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RateLimits(**{field: 0})
