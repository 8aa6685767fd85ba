"""Follow-up drafts of triggers are durable (issue 16 item 12).

Before: a crash right after an import committed left triggers without their self-inspection
order and plan, and nothing re-created them. Now a trigger is committed *pending*; each
follow-up (claim, order, plan, refs) is one transaction; and a sweep — at start-up and
periodically — completes every pending trigger, each exactly once.

The crash is real: ``audit complaints import`` runs in a subprocess and is killed with SIGKILL
after its import committed, while its follow-ups are held up (PostgreSQL: the notice table is
locked by the test; SQLite: the test holds the write lock)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from audit.domain.complaints import followup
from audit.domain.complaints.tables import ComplaintTrigger
from audit.domain.notices.tables import Notice

from .helpers import operators

REGIONS = 60  # triggers, one per region


def _regions() -> list[str]:
    from audit.domain.operators.regions import audit_regions

    return [r.code for r in audit_regions()][:REGIONS]


def _csv(path: Path) -> Path:
    lines = ["external_id,operator,region,issue,received_at,channel,summary"]
    for i, code in enumerate(_regions()):
        for d in (1, 2, 3):
            lines.append(f"R{i}-{d},OP-A,{code},billing,2026-03-0{d},hotline,收费错误")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _refs() -> dict[int, tuple[str | None, str]]:
    rows = await ComplaintTrigger.select(
        ComplaintTrigger._meta.primary_key, ComplaintTrigger.order_ref,
        ComplaintTrigger.followup_note,
    )  # fmt: skip
    return {r["id"]: (r["order_ref"], r["followup_note"]) for r in rows}


async def _orders_by_trigger() -> dict[int, int]:
    """trigger id → number of self-inspection drafts made for it."""
    out: dict[int, int] = {}
    for n in await Notice.select(Notice.source).where(Notice.notice_type == "self_inspection"):
        source = n["source"] if isinstance(n["source"], dict) else json.loads(n["source"])
        out[source["trigger_id"]] = out.get(source["trigger_id"], 0) + 1
    return out


def _import_then_kill(db: str, csv_path: Path) -> None:
    """Run in a thread of its own (its own event loop for the blocking connection)."""
    asyncio.run(_import_then_kill_async(db, csv_path))


async def _import_then_kill_async(db: str, csv_path: Path) -> None:
    import asyncpg

    url = os.environ["AUDIT_DATABASE_URL"]
    blocker: Any = None
    if db == "postgres":
        # Follow-ups insert notices: hold them up before the import even starts.
        blocker = await asyncpg.connect(url)
        await blocker.execute("BEGIN; LOCK TABLE notice IN EXCLUSIVE MODE")
    proc = subprocess.Popen(
        [sys.executable, "-m", "audit", "complaints", "import", str(csv_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy(),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not await _triggers_committed(db, url):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the import did not commit"
            await asyncio.sleep(0.01)
        if db == "sqlite":
            blocker = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
            blocker.execute("BEGIN IMMEDIATE")  # follow-ups now wait for the write lock
        await asyncio.sleep(0.3)  # let it reach the held-up follow-up
        assert proc.poll() is None, "the import finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
        if isinstance(blocker, sqlite3.Connection):
            blocker.close()
        elif blocker is not None:
            await blocker.close()


async def _triggers_committed(db: str, url: str) -> bool:
    if db == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        try:
            return bool(conn.execute("SELECT COUNT(*) FROM complaint_trigger").fetchone()[0])
        finally:
            conn.close()
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return bool(await conn.fetchval("SELECT COUNT(*) FROM complaint_trigger"))
    finally:
        await conn.close()


@pytest.mark.slow
async def test_killed_after_commit_then_completed_by_the_startup_sweep(
    db: str, tmp_path: Path
) -> None:
    await operators("OP-A")
    await asyncio.to_thread(_import_then_kill, db, _csv(tmp_path / "batch.csv"))

    before = await _refs()
    assert len(before) == REGIONS  # the import itself committed whole
    pending = await followup.pending()
    assert pending, "the crash window was missed: every follow-up had already run"
    done = {tid for tid, (ref, _) in before.items() if ref}
    assert set(await _orders_by_trigger()) == done  # a rolled-back follow-up left no draft

    # Start the app: its start-up sweep completes the rest (a job, as in production).
    from litestar.testing import AsyncTestClient

    from audit.core import build_app

    async with AsyncTestClient(build_app()) as client:
        deadline = time.monotonic() + 120
        while await followup.pending():
            assert time.monotonic() < deadline, "the start-up sweep did not finish"
            await asyncio.sleep(0.05)
        assert (await client.get("/health")).status_code in (200, 503)
    after = await _refs()
    assert all(ref and ref.startswith("notice:") for ref, _ in after.values()), after
    assert await _orders_by_trigger() == {tid: 1 for tid in after}  # each exactly once


async def test_a_failing_follow_up_rolls_back_whole_and_is_retried(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection mid-follow-up (after the order draft, before the plan): that
    trigger's order is rolled back with it, the trigger stays pending, the next sweep
    completes it; two sweeps at once draft each trigger once."""
    from audit.context import SYSTEM
    from audit.domain.complaints.importer import ImportOptions

    await operators("OP-A")
    lines = ["external_id,operator,region,issue,received_at,channel,summary"]
    for i, code in enumerate(_regions()[:6]):
        lines += [f"F{i}-{d},OP-A,{code},billing,2026-03-0{d},hotline,x" for d in (1, 2, 3)]
    path = tmp_path / "six.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from audit.domain.complaints import services

    real = followup.draft_plan
    calls = {"n": 0}

    async def crashing(trigger: dict[str, Any], actor: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionResetError("the process died here")
        return await real(trigger, actor)

    monkeypatch.setattr(followup, "draft_plan", crashing)
    with pytest.raises(ConnectionResetError):
        await services.import_file(path, services.mapping_for(None, None), ImportOptions(), SYSTEM)
    monkeypatch.setattr(followup, "draft_plan", real)
    assert len(await followup.pending()) == 4  # two done, the third rolled back, three untried
    assert len(await _orders_by_trigger()) == 2

    await asyncio.gather(followup.sweep(), followup.sweep())
    assert await followup.pending() == []
    assert await _orders_by_trigger() == {tid: 1 for tid in await _refs()}


def test_the_sweep_is_periodic() -> None:
    from audit.domain.complaints.tasks import followup_sweep_task
    from audit.jobs.config import get_job_settings

    (schedule,) = followup_sweep_task.labels["schedule"]
    assert schedule["interval"] == get_job_settings().followup_sweep_interval_s
