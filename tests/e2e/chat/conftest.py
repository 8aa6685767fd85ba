"""Browser tests against the demo chat site, in the real headless Chromium.

After every test no Chromium started by this process may still be running (the adapter must
close the browser on success, failure and crash alike).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from checklists.loader import checklist_from_data
from checklists.schema import Checklist
from probes.analysis.chat_scoring import find_checklist
from probes.channels.web_chat.browser import run_web_chat
from probes.chat.profile import CustomerScript, TargetProfile, demo_profile, load_script
from probes.chat.result import ChatProbeResult
from probes.chat_demo import DemoChatSite


def chromium_descendants(root: int | None = None) -> list[int]:
    """PIDs of Chromium processes below ``root`` (default: this process), from /proc."""
    root = root or os.getpid()
    parent: dict[int, int] = {}
    cmd: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = []
    for pid in parent:
        p = pid
        while p in parent and p not in (0, 1):
            p = parent[p]
            if p == root:
                if "chromium" in cmd.get(pid, ""):
                    found.append(pid)
                break
    return found


@pytest.fixture(autouse=True)
def no_leaked_chromium():
    yield
    assert chromium_descendants() == [], "a Chromium process outlived the probe"


@pytest.fixture
def site():
    with DemoChatSite() as s:
        yield s


ASK = load_script(
    {
        "id": "ask",
        "steps": [
            {"say": "你好,我想问一下5G套餐怎么办理?"},
            {"await_reply": 15},
            {"say": "好的,谢谢"},
            {"await_reply": 5},
        ],
    }
)


def profile_for(site: DemoChatSite, iframe: bool = False, **query: Any) -> TargetProfile:
    if iframe:
        query["iframe"] = 1
    p = demo_profile(site.url("/chat", **query), iframe=iframe)
    return p.model_copy(update={"open_timeout_s": 3.0, "settle_s": 0.5, "max_duration_s": 60.0})


async def probe(
    site: DemoChatSite,
    tmp_path: Path,
    script: CustomerScript = ASK,
    profile: TargetProfile | None = None,
    **query: Any,
) -> ChatProbeResult:
    return await run_web_chat(profile or profile_for(site, **query), script, tmp_path / "evidence")


def scaled_checklist(**params: float) -> Checklist:
    """online-chat with its time limits shrunk, so a browser test need not wait 45 s or 2 min."""
    data = find_checklist("online-chat").canonical()
    for section in data["sections"]:
        for item in section["items"]:
            binding = item.get("measure")
            if binding:
                for key, value in params.items():
                    if key in binding.get("params", {}):
                        binding["params"][key] = value
    return checklist_from_data(data)
