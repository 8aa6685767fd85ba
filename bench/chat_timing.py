"""Timing accuracy of the web-chat probe (issue 5, "Speed").

Runs >= 50 chats against the demo chat site, whose agent answers the customer's first message
after a known delay (timed on the server from receipt of that message), with 4 chats at a time
in one browser in one worker process. Prints the distribution of |measured first response -
true delay| and its ratio to (a) the 0.1 s bound and (b) a naive reader measured in the same
run: one that polls the page for a new agent bubble every 0.5 s with sleeps.

    .venv/bin/python bench/chat_timing.py [--chats 52] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import httpx

from probes.analysis.chat import analyse_chat
from probes.channels.web_chat.browser import ChatBrowser, run_web_chat
from probes.chat.profile import demo_profile, load_script

ROOT = Path(__file__).resolve().parents[1]

BOUND_S = 0.1
SCRIPT = load_script(
    {"id": "bench", "steps": [{"say": "你好,我想问一下5G套餐怎么办理?"}, {"await_reply": 15}]}
)


def dist(errors: list[float]) -> dict[str, float]:
    s = sorted(errors)
    p = lambda q: s[min(len(s) - 1, round(q * (len(s) - 1)))]  # noqa: E731
    return {"n": len(s), "mean": statistics.fmean(s), "p50": p(0.5), "p95": p(0.95), "max": s[-1]}


async def probe_chats(base: str, delays: list[float], concurrency: int, out: Path):
    sem = asyncio.Semaphore(concurrency)
    active = peak = 0
    errors: list[float] = []
    failures: list[str] = []
    pages: dict[str, tuple[float, float, float]] = {}

    async def one(i: int, delay: float, browser: ChatBrowser) -> None:
        nonlocal active, peak
        async with sem:
            active += 1
            peak = max(peak, active)
            try:
                profile = demo_profile(f"{base}/chat?scenario=compliant&delay={delay}&tag=bench{i}")
                profile = profile.model_copy(update={"settle_s": 0.0})
                result = await run_web_chat(profile, SCRIPT, out / f"chat{i}", browser=browser)
            finally:
                active -= 1
        measured = analyse_chat(result.transcript).first_response_seconds
        if result.outcome != "completed" or measured is None:
            failures.append(f"chat {i}: {result.outcome} {result.reason}")
            return
        errors.append(abs(measured - delay))
        msgs = result.transcript.messages
        pages[f"bench{i}"] = (msgs[0].at.timestamp(), msgs[1].at.timestamp(), measured)

    async with ChatBrowser(os.environ.get("BENCH_CHROMIUM_ARGS", "").split()) as browser:
        await asyncio.gather(*(one(i, d, browser) for i, d in enumerate(delays)))
    return errors, failures, peak, await split(base, pages)


async def split(base: str, pages: dict[str, tuple[float, float, float]]) -> dict[str, list[float]]:
    """Where the error arises, from the site's own log: page→server (the customer's message
    travelling), server scheduling, server→page (the reply travelling and being drawn)."""
    parts: dict[str, list[float]] = {
        "vs actual delay": [],
        "page→server": [],
        "scheduling": [],
        "server→page": [],
    }
    async with httpx.AsyncClient(base_url=base) as client:
        sessions = (await client.get("/api/sessions")).json()["sessions"]
        for s in sessions:
            tag = s["params"].get("tag")
            if tag not in pages:
                continue
            log = (await client.get(f"/api/sessions/{s['session_id']}/log")).json()["messages"]
            cust, agent = log[0], log[1]
            delay = float(s["params"]["delay"])
            # The delay the site really produced (receipt → reply sent), its own timer's lag aside.
            parts["vs actual delay"].append(pages[tag][2] - (agent["at"] - cust["at"]))
            parts["page→server"].append(cust["at"] - pages[tag][0])
            parts["scheduling"].append(agent["at"] - cust["at"] - delay)
            parts["server→page"].append(pages[tag][1] - agent["at"])
    return parts


async def naive_chats(base: str, delays: list[float], concurrency: int) -> list[float]:
    """Reference: send, then sleep 0.5 s and look for an agent bubble, until one is there."""
    sem = asyncio.Semaphore(concurrency)
    errors: list[float] = []

    async def one(delay: float, browser: ChatBrowser) -> None:
        async with sem:
            assert browser.browser is not None
            ctx = await browser.browser.new_context()
            try:
                page = await ctx.new_page()
                await page.goto(f"{base}/chat?scenario=compliant&delay={delay}")
                await page.click("#open-chat")
                await page.fill("#chat-input", "你好,我想问一下5G套餐怎么办理?")
                sent = time.monotonic()
                await page.click("#send")
                while await page.locator(".msg.agent").count() == 0:
                    await asyncio.sleep(0.5)
                errors.append(abs(time.monotonic() - sent - delay))
            finally:
                await ctx.close()

    async with ChatBrowser() as browser:
        await asyncio.gather(*(one(d, browser) for d in delays))
    return errors


def show(name: str, d: dict[str, float]) -> str:
    return (
        f"{name:<28} n={d['n']:<3} mean={d['mean'] * 1000:7.1f} ms  p50={d['p50'] * 1000:7.1f} ms"
        f"  p95={d['p95'] * 1000:7.1f} ms  max={d['max'] * 1000:7.1f} ms"
    )


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chats", type=int, default=52)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--reference-chats", type=int, default=16)
    ap.add_argument(
        "--site-priority",
        choices=("realtime", "nice", "normal"),
        default="realtime",
        help="how the demo site gets the CPU it would have on its own server: realtime "
        "(SCHED_RR, default when root), nice (-10) or normal",
    )
    ap.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="renice this worker (and the Chromium it starts) by N, e.g. -5, as a dedicated "
        "probe worker would be; the default 0 shares the CPU equally with everything else",
    )
    args = ap.parse_args()
    if args.worker_nice:
        os.nice(args.worker_nice)
    print(f"worker priority: nice {os.nice(0)}")
    rng = random.Random(5)
    delays = [round(rng.uniform(1.0, 4.0), 3) for _ in range(args.chats)]
    ref_delays = [round(rng.uniform(1.0, 4.0), 3) for _ in range(args.reference_chats)]
    # The demo site runs in its own process, as an operator's site would: its timing must not
    # share a GIL with the probe. It stands in for a server with CPUs of its own, so when we may
    # (root) it runs ahead of the probe: on a loaded 2-core machine a starved site stamps the
    # customer's message late and the "truth" itself drifts. Chromium run as root lifts ~50 of
    # its own threads to nice -8, so nice -10 is not enough: realtime (SCHED_RR) is.
    prio = args.site_priority if os.geteuid() == 0 else "normal"
    wrap = {"realtime": ["chrt", "-r", "10"], "nice": ["nice", "-n", "-10"], "normal": []}[prio]
    print(f"demo site priority: {prio} {' '.join(wrap)}")
    site = subprocess.Popen(
        [*wrap, sys.executable, "-m", "probes.chat_demo"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert site.stdout is not None
        base = site.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.monotonic()
            errors, failures, peak, parts = await probe_chats(
                base, delays, args.concurrency, Path(tmp)
            )
            elapsed = time.monotonic() - t0
            naive = await naive_chats(base, ref_delays, args.concurrency)
    finally:
        site.terminate()
        site.wait(timeout=10)
    ours, ref = dist(errors), dist(naive)
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} (1/5/15 min; other work on the machine inflates every figure)"
    )
    print(
        f"web-chat first-response timing: {len(delays)} chats, {args.concurrency} at a time "
        f"(peak {peak}) in one browser, {elapsed:.1f} s"
    )
    print(show("MutationObserver (ours)", ours))
    print(show("naive 0.5 s polling reader", ref))
    for name, values in parts.items():
        label = f"  {name}" if name.startswith("vs") else f"  of which {name}"
        print(show(label, dist([abs(v) for v in values])))
    print(f"failed runs: {len(failures)}" + "".join(f"\n  {f}" for f in failures))
    print(f"ratio p95 / bound ({BOUND_S} s): {ours['p95'] / BOUND_S:.3f}")
    print(f"ratio max / bound ({BOUND_S} s): {ours['max'] / BOUND_S:.3f}")
    print(f"ratio mean error ours / naive reader: {ours['mean'] / ref['mean']:.3f}")
    actual = dist([abs(v) for v in parts["vs actual delay"]])
    print(f"ratio max error vs actual delay / bound: {actual['max'] / BOUND_S:.3f}")
    ok = not failures and ours["max"] <= BOUND_S and peak >= 4
    print("within bound" if ok else "OUT OF BOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
