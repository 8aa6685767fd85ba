"""Rate control for probe calls, shared by every worker.

Three limits are taken together, atomically, before a probe dials:
- a calls-per-second cap per telephony account (Twilio queues or rejects calls above the
  account's CPS), enforced with GCRA (the generic cell rate algorithm: each grant moves a
  "theoretical arrival time" on by 1/cps, so calls are spread evenly, not bunched per second).
  A caller whose slot is less than ``max_delay_s`` away is granted that future slot and waits
  for it (``Permit.delay_s``) instead of being refused: slots are handed out back to back, so
  the cap is reached exactly instead of losing each waiter's wake-up latency per call;
- a maximum of concurrent calls per account;
- per target (the operator's number): a maximum of concurrent calls and a minimum interval
  between call starts, so probes never flood an operator.

Concurrency slots are leases that expire: a worker renews its lease while the call lasts; a
worker killed mid-call stops renewing and its slot frees itself after ``lease_s``.

Two implementations with the same behaviour: :class:`RedisRateLimiter` (one Lua script, the
Redis server's clock, so workers on different machines agree) for distributed mode and
:class:`LocalRateLimiter` (in-process) for the embedded mode.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from redis.asyncio import Redis

from audit.jobs import ratelimit_lua

DenyReason = Literal["target_concurrency", "target_interval", "concurrency", "cps"]
# While a slot is taken we poll this often; a release is usually sooner than the lease end.
SLOT_POLL_S = 0.02


@dataclass(frozen=True)
class RateLimits:
    cps: float = 1.0  # Twilio's default outbound CPS per account
    burst: int = 1
    max_concurrent: int = 10
    per_target_concurrent: int = 1
    per_target_min_interval_s: float = 0.0
    lease_s: float = 120.0
    max_delay_s: float = 0.5  # grant a cps slot this far ahead (the holder sleeps until then)

    def __post_init__(self) -> None:
        checks = {
            "cps": self.cps > 0,
            "burst": self.burst >= 1,
            "max_concurrent": self.max_concurrent >= 1,
            "per_target_concurrent": self.per_target_concurrent >= 1,
            "per_target_min_interval_s": self.per_target_min_interval_s >= 0,
            "lease_s": self.lease_s > 0,
            "max_delay_s": self.max_delay_s >= 0,
        }
        for name, ok in checks.items():
            if not ok:
                raise ValueError(f"{name}: {getattr(self, name)!r} is out of range")


@dataclass(frozen=True)
class Permit:
    account: str
    target: str
    token: str
    delay_s: float = 0.0  # wait this long before dialing: the granted cps slot is ahead


@dataclass(frozen=True)
class Denied:
    reason: DenyReason
    retry_after_s: float


class RateLimitTimeout(TimeoutError):
    def __init__(self, account: str, target: str, reason: DenyReason) -> None:
        super().__init__(f"no call slot for account {account!r} target {target!r}: {reason}")
        self.reason = reason


class LeaseLost(RuntimeError):
    """The permit's lease expired (e.g. the worker stalled) before it was renewed."""


class RateLimiter(ABC):
    limits: RateLimits

    @abstractmethod
    async def try_acquire(self, account: str, target: str) -> Permit | Denied: ...

    @abstractmethod
    async def release(self, permit: Permit) -> None: ...

    @abstractmethod
    async def renew(self, permit: Permit) -> None:
        """Extend the lease by ``lease_s``; :class:`LeaseLost` if it already expired."""

    @abstractmethod
    async def active(self, account: str) -> int:
        """Leases currently held on ``account``."""

    async def acquire(self, account: str, target: str, *, timeout: float | None = None) -> Permit:
        """Wait until all limits allow a call, then hold a slot (release it when done)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            got = await self.try_acquire(account, target)
            if isinstance(got, Permit):
                if got.delay_s > 0:
                    await asyncio.sleep(got.delay_s)
                return got
            wait = max(got.retry_after_s, 0.0) or SLOT_POLL_S
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RateLimitTimeout(account, target, got.reason)
                wait = min(wait, left)
            await asyncio.sleep(wait)


def _us(seconds: float) -> int:
    return round(seconds * 1_000_000)


class RedisRateLimiter(RateLimiter):
    """Limits shared through Redis; keys live under ``prefix``."""

    def __init__(self, redis: Redis, limits: RateLimits, prefix: str = "audit:rl") -> None:
        self.redis = redis
        self.limits = limits
        self.prefix = prefix
        self._acquire = redis.register_script(ratelimit_lua.ACQUIRE)
        self._release = redis.register_script(ratelimit_lua.RELEASE)
        self._renew = redis.register_script(ratelimit_lua.RENEW)

    def _keys(self, account: str, target: str) -> list[str]:
        p = self.prefix
        return [
            f"{p}:acct:{account}:tat",
            f"{p}:acct:{account}:leases",
            f"{p}:tgt:{target}:leases",
            f"{p}:tgt:{target}:last",
        ]

    async def try_acquire(self, account: str, target: str) -> Permit | Denied:
        lim = self.limits
        token = uuid.uuid4().hex
        args: list[int | str] = [
            _us(1 / lim.cps),
            _us((lim.burst - 1) / lim.cps),
            lim.max_concurrent,
            lim.per_target_concurrent,
            _us(lim.per_target_min_interval_s),
            _us(lim.lease_s),
            token,
            _us(lim.max_delay_s),
        ]
        code, retry_us = await self._acquire(keys=self._keys(account, target), args=args)
        if int(code) == 0:
            return Permit(account, target, token, int(retry_us) / 1_000_000)
        reasons: dict[int, DenyReason] = {
            1: "target_concurrency",
            2: "concurrency",
            3: "target_interval",
            4: "cps",
        }
        return Denied(reasons[int(code)], int(retry_us) / 1_000_000)

    async def release(self, permit: Permit) -> None:
        keys = self._keys(permit.account, permit.target)
        await self._release(keys=[keys[1], keys[2]], args=[permit.token])

    async def renew(self, permit: Permit) -> None:
        keys = self._keys(permit.account, permit.target)
        ok = await self._renew(
            keys=[keys[1], keys[2]], args=[permit.token, _us(self.limits.lease_s)]
        )
        if not int(ok):
            raise LeaseLost(f"lease {permit.token} on {permit.account}/{permit.target} expired")

    async def active(self, account: str) -> int:
        key = f"{self.prefix}:acct:{account}:leases"
        sec, usec = await self.redis.time()
        now = int(sec) * 1_000_000 + int(usec)
        return int(await self.redis.zcount(key, f"({now}", "+inf"))


@dataclass
class _LocalState:
    tat: dict[str, float] = field(default_factory=dict)
    acct_leases: dict[str, dict[str, float]] = field(default_factory=dict)
    tgt_leases: dict[str, dict[str, float]] = field(default_factory=dict)
    tgt_last: dict[str, float] = field(default_factory=dict)


class LocalRateLimiter(RateLimiter):
    """The same limits inside one process (embedded mode); ``clock`` in seconds."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._s = _LocalState()

    @staticmethod
    def _live(leases: dict[str, float], now: float) -> dict[str, float]:
        for token in [t for t, exp in leases.items() if exp <= now]:
            del leases[token]
        return leases

    async def try_acquire(self, account: str, target: str) -> Permit | Denied:
        # No await inside: atomic with respect to the event loop, like the Lua script.
        lim, s, now = self.limits, self._s, self.clock()
        tgt = self._live(s.tgt_leases.setdefault(target, {}), now)
        if len(tgt) >= lim.per_target_concurrent:
            return Denied("target_concurrency", 0.0)
        acct = self._live(s.acct_leases.setdefault(account, {}), now)
        if len(acct) >= lim.max_concurrent:
            return Denied("concurrency", 0.0)
        last = s.tgt_last.get(target)
        if last is not None and now - last < lim.per_target_min_interval_s:
            return Denied("target_interval", last + lim.per_target_min_interval_s - now)
        interval, tolerance = 1 / lim.cps, (lim.burst - 1) / lim.cps
        tat = max(s.tat.get(account, now), now)
        wait = max(0.0, tat - tolerance - now)
        if wait > lim.max_delay_s:
            return Denied("cps", wait - lim.max_delay_s)
        s.tat[account] = tat + interval
        s.tgt_last[target] = now + wait  # when this call will start
        token = uuid.uuid4().hex
        tgt[token] = acct[token] = now + wait + lim.lease_s
        return Permit(account, target, token, wait)

    async def release(self, permit: Permit) -> None:
        self._s.acct_leases.get(permit.account, {}).pop(permit.token, None)
        self._s.tgt_leases.get(permit.target, {}).pop(permit.token, None)

    async def renew(self, permit: Permit) -> None:
        now = self.clock()
        acct = self._live(self._s.acct_leases.get(permit.account, {}), now)
        tgt = self._live(self._s.tgt_leases.get(permit.target, {}), now)
        if permit.token not in acct or permit.token not in tgt:
            raise LeaseLost(f"lease {permit.token} on {permit.account}/{permit.target} expired")
        acct[permit.token] = tgt[permit.token] = now + self.limits.lease_s

    async def active(self, account: str) -> int:
        return len(self._live(self._s.acct_leases.get(account, {}), self.clock()))
