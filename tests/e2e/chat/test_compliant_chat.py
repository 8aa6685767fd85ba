"""A compliant agent in the real browser: every bound checklist item passes, with evidence."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from probes.analysis.chat_scoring import find_checklist, score_chat
from tests.e2e.chat.conftest import probe

pytestmark = pytest.mark.browser


async def test_compliant_chat(site, tmp_path):
    result = await probe(site, tmp_path, scenario="compliant", delay=1.2)
    assert result.outcome == "completed", result.reason
    msgs = result.transcript.messages
    assert [m.sender for m in msgs] == ["customer", "agent", "customer", "agent"]
    assert msgs[0].text == "你好,我想问一下5G套餐怎么办理?"
    assert msgs[1].text.startswith("亲,您好!您咨询的5G畅享套餐")
    out, _ = score_chat(result.transcript, find_checklist("online-chat"))
    assert out["verdict"] == "pass", out
    assert 1.2 <= out["measures"]["first_response_seconds"] < 5
    labels = [s.label for s in result.screenshots]
    assert labels == ["start", "first_reply", "end"]
    for shot in result.screenshots:
        data = Path(shot.path).read_bytes()
        assert data.startswith(b"\x89PNG") and hashlib.sha256(data).hexdigest() == shot.sha256


async def test_chat_inside_an_iframe(site, tmp_path):
    result = await probe(site, tmp_path, iframe=True, scenario="compliant", delay=0.5)
    assert result.outcome == "completed", result.reason
    assert [m.sender for m in result.transcript.messages] == [
        "customer",
        "agent",
        "customer",
        "agent",
    ]


async def test_agent_greets_a_silent_customer(site, tmp_path):
    from probes.chat.profile import load_script

    script = load_script({"id": "silent", "steps": [{"silent": 10}]})
    result = await probe(site, tmp_path, script, scenario="proactive", greet_delay=1.0)
    assert result.outcome == "completed", result.reason
    out, analysis = score_chat(result.transcript, find_checklist("online-chat"))
    assert analysis.greeting_ok
    assert 1.0 <= out["measures"]["first_response_seconds"] < 4
