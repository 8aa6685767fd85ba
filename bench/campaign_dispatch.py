"""Dispatch rate under the shared calls-per-second cap: N worker processes, one Redis.

Each worker process runs many concurrent "probe runs" that each take a call slot from the
shared :class:`audit.jobs.ratelimit.RedisRateLimiter` (GCRA cps cap + concurrency leases)
and then hold the call for a while, exactly as ``audit.domain.campaigns.execute`` does
before dialing. Every grant is stamped with the Redis server clock. The figure is the
achieved dispatch rate over the run, printed with its ratio to the configured cap (the
reference), plus the worst 10-second window.

    .venv/bin/python bench/campaign_dispatch.py            # 3 workers, 2 minutes, 10 cps
    .venv/bin/python bench/campaign_dispatch.py --duration 20 --cps 5
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import time
import uuid

REDIS_URL = os.environ.get("AUDIT_BROKER_URL", "redis://127.0.0.1:6379/0")


def worker(prefix: str, cps: float, duration: float, concurrency: int, hold_s: float) -> None:
    from redis.asyncio import Redis

    from audit.jobs.ratelimit import RateLimits, RedisRateLimiter

    async def main() -> None:
        redis = Redis.from_url(REDIS_URL)
        limits = RateLimits(
            cps=cps, burst=1, max_concurrent=10_000, per_target_concurrent=10_000, lease_s=30
        )
        limiter = RedisRateLimiter(redis, limits, prefix=prefix)
        stop = time.monotonic() + duration

        async def runner(i: int) -> None:
            while time.monotonic() < stop:
                try:
                    permit = await limiter.acquire(
                        "bench", f"+86571{i:06d}", timeout=stop - time.monotonic()
                    )
                except TimeoutError:
                    return
                sec, usec = await redis.time()
                await redis.rpush(f"{prefix}:grants", f"{sec}.{usec:06d}")
                await asyncio.sleep(hold_s)  # the call
                await limiter.release(permit)

        await asyncio.gather(*(runner(i) for i in range(concurrency)))
        await redis.aclose()

    asyncio.run(main())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--duration", type=float, default=120.0)
    ap.add_argument("--cps", type=float, default=10.0)
    ap.add_argument("--concurrency", type=int, default=50, help="runs waiting per worker")
    ap.add_argument("--hold", type=float, default=2.0, help="seconds each call lasts")
    args = ap.parse_args()

    import redis

    prefix = f"bench:dispatch:{uuid.uuid4().hex}"
    ctx = mp.get_context("spawn")
    procs = [
        ctx.Process(
            target=worker, args=(prefix, args.cps, args.duration, args.concurrency, args.hold)
        )
        for _ in range(args.workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    client = redis.Redis.from_url(REDIS_URL)
    stamps = sorted(float(x) for x in client.lrange(f"{prefix}:grants", 0, -1))
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    if len(stamps) < 2:
        raise SystemExit("no grants recorded")
    # Measure between the first and last grant (process start-up excluded).
    span = stamps[-1] - stamps[0]
    rate = (len(stamps) - 1) / span
    windows = []
    t = stamps[0]
    while t + 10 <= stamps[-1]:
        windows.append(sum(1 for s in stamps if t <= s < t + 10) / 10)
        t += 10
    print(f"cores: {os.cpu_count()}  workers: {args.workers}  cap: {args.cps} cps")
    print(f"grants: {len(stamps)} over {span:.1f} s")
    print(f"dispatch rate: {rate:.3f} calls/s  ratio to cap: {rate / args.cps:.4f}")
    if windows:
        print(
            f"10 s windows: min {min(windows):.2f}  max {max(windows):.2f} calls/s "
            f"(ratios {min(windows) / args.cps:.3f} .. {max(windows) / args.cps:.3f})"
        )
    within = abs(rate / args.cps - 1) <= 0.05
    print("within ±5% of the cap:", "yes" if within else "NO")


if __name__ == "__main__":
    main()
