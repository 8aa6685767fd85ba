"""A "let me check" followed by a long silence: with and without the apology (seed 000 §二.5).
The two-minute threshold is shrunk to 2 s so the test does not wait two minutes."""

from __future__ import annotations

import pytest

from probes.analysis.chat_scoring import score_chat
from probes.chat.profile import load_script
from tests.e2e.chat.conftest import probe, scaled_checklist

pytestmark = pytest.mark.browser

# Ask, get "please wait", stay quiet while the agent checks, then thank and leave.
SCRIPT = load_script(
    {
        "id": "wait",
        "steps": [
            {"say": "我上个月的话费为什么多扣了20元?"},
            {"await_reply": 10},
            {"wait": 3.5},
            {"say": "好的,谢谢"},
            {"await_reply": 5},
        ],
    }
)


@pytest.mark.parametrize(("apology", "expected"), [("0", "fail"), ("1", "pass")])
async def test_long_wait(site, tmp_path, apology, expected):
    result = await probe(
        site, tmp_path, SCRIPT, scenario="long_wait", delay=0.5, wait=2.5, apology=apology
    )
    assert result.outcome == "completed", result.reason
    agent = [m.text for m in result.transcript.messages if m.sender == "agent"]
    assert agent[0] == "亲,您好!请您稍等,为您查询一下。"
    out, analysis = score_chat(result.transcript, scaled_checklist(long_wait_s=2))
    assert len(analysis.long_waits) == 1 and analysis.long_waits[0].seconds > 2
    item = next(i for i in out["items"] if i["id"] == "minor.waiting_phrases")
    assert item["result"] == expected
