"""An agent who never answers is a finding (run completed, no agent message), not a probe error."""

from __future__ import annotations

import pytest

from probes.analysis.chat_scoring import find_checklist, score_chat
from probes.chat.profile import load_script
from tests.e2e.chat.conftest import probe

pytestmark = pytest.mark.browser


async def test_agent_never_answers(site, tmp_path):
    script = load_script({"id": "q", "steps": [{"say": "在吗?我的宽带断了"}, {"await_reply": 2}]})
    result = await probe(site, tmp_path, script, scenario="silent")
    assert result.outcome == "completed" and result.reason is None
    assert not result.agent_answered
    assert [m.sender for m in result.transcript.messages] == ["customer"]
    out, _ = score_chat(result.transcript, find_checklist("online-chat"))
    assert out["measures"]["first_response_seconds"] is None
    assert out["measures"]["last_message_from"] == "customer"
    assert out["verdict"] == "fail"
    assert [s.label for s in result.screenshots] == ["start", "end"]
