"""Chromium dying mid-chat ends the run as probe_error and leaves no process behind."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal

import pytest

from probes.channels.web_chat.browser import run_web_chat
from probes.chat.profile import load_script
from tests.e2e.chat.conftest import chromium_descendants, profile_for

pytestmark = pytest.mark.browser


async def test_browser_killed_during_the_chat(site, tmp_path):
    script = load_script({"id": "q", "steps": [{"say": "在吗?"}, {"await_reply": 30}]})
    task = asyncio.create_task(run_web_chat(profile_for(site, scenario="silent"), script, tmp_path))
    for _ in range(200):  # wait until the customer message is on the server
        await asyncio.sleep(0.05)
        if any(s.customer_count for s in site.sessions.values()):
            break
    pids = chromium_descendants()
    assert pids, "no Chromium running"
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # its children may die with it
            os.kill(pid, signal.SIGKILL)
    result = await asyncio.wait_for(task, 60)
    assert result.outcome == "probe_error"
    assert result.reason
