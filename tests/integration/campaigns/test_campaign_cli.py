"""`audit campaigns status|run ID`: the same progress figures as the API, in a terminal."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from audit.domain.campaigns import dispatch


def audit_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from audit.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )


async def test_status_shows_done_failed_remaining_and_answer_rate(
    plan_setup: dict[str, Any], running_campaign: Callable[..., Awaitable[int]]
) -> None:
    cid = await running_campaign(plan_setup, runs=2)
    ids = await dispatch.queue_due_runs(limit=10)
    outcomes = ["answered", "busy", "answered"]
    for run_id, outcome in zip(ids, outcomes, strict=False):
        got = await dispatch.claim(run_id)
        assert got is not None
        await dispatch.finish(got.run_id, got.token, {"outcome": outcome, "answer_seconds": 4})
    result = await asyncio.to_thread(audit_cli, "campaigns", "status", str(cid))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"campaign {cid}" in out and "running" in out
    # 3 of 4 done, 1 remaining, answer rate 2/3
    assert "done 3" in out and "failed 0" in out and "remaining 1" in out, out
    assert "answer rate 67%" in out, out


async def test_unknown_campaign_is_a_clear_error(plan_setup: dict[str, Any]) -> None:
    result = await asyncio.to_thread(audit_cli, "campaigns", "status", "999")
    assert result.returncode == 2
    assert "campaign 999 not found" in result.stderr
