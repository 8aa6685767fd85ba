"""The process-wide rate limiter: on Redis when jobs are distributed, in-process otherwise."""

from __future__ import annotations

from audit.jobs.ratelimit import LocalRateLimiter, RateLimiter, RedisRateLimiter

_limiter: RateLimiter | None = None


def get_limiter() -> RateLimiter:
    global _limiter
    if _limiter is None:
        from audit.jobs.broker import BROKER_URL
        from audit.jobs.config import get_job_settings

        jobs = get_job_settings()
        limits = jobs.rate_limits()
        if BROKER_URL is None:
            _limiter = LocalRateLimiter(limits)
        else:
            from redis.asyncio import Redis

            _limiter = RedisRateLimiter(Redis.from_url(BROKER_URL), limits, prefix=jobs.rate_prefix)
    return _limiter


def reset_limiter() -> None:
    """Forget the limiter (settings changed, e.g. between tests)."""
    global _limiter
    _limiter = None
