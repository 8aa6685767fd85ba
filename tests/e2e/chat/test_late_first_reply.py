"""A late first reply fails the response-time item (limit shrunk to 2 s for the test)."""

from __future__ import annotations

import pytest

from probes.analysis.chat_scoring import score_chat
from tests.e2e.chat.conftest import probe, scaled_checklist

pytestmark = pytest.mark.browser


async def test_late_first_reply(site, tmp_path):
    result = await probe(site, tmp_path, scenario="compliant", delay=2.6)
    assert result.outcome == "completed", result.reason
    out, _ = score_chat(result.transcript, scaled_checklist(first_response_max_s=2))
    assert out["measures"]["first_response_seconds"] >= 2.6
    item = next(i for i in out["items"] if i["id"] == "minor.response_time")
    assert item["result"] == "fail"
    on_time, _ = score_chat(result.transcript, scaled_checklist(first_response_max_s=5))
    assert next(i for i in on_time["items"] if i["id"] == "minor.response_time")["result"] == "pass"
