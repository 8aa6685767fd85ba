"""Taboos and forbidden phrases seen through the browser (seed 000 §四, seed 001 §6.9)."""

from __future__ import annotations

import pytest

from probes.analysis.chat_scoring import find_checklist, score_chat
from tests.e2e.chat.conftest import probe

pytestmark = pytest.mark.browser


async def test_sent_away_until_tomorrow(site, tmp_path):
    result = await probe(site, tmp_path, scenario="taboo_tomorrow", delay=0.5)
    assert result.outcome == "completed", result.reason
    out, _ = score_chat(result.transcript, find_checklist("online-chat"))
    assert out["measures"]["taboos"] == ["sent_away_until_tomorrow"]
    item = next(i for i in out["items"] if i["id"] == "taboo.come_back_tomorrow")
    assert item["result"] == "fail" and out["verdict"] == "fail"


async def test_told_not_to_reply(site, tmp_path):
    result = await probe(site, tmp_path, scenario="taboo_no_reply", delay=0.5)
    out, _ = score_chat(result.transcript, find_checklist("online-chat"))
    assert out["measures"]["taboos"] == ["told_not_to_reply"]


async def test_forbidden_phrase(site, tmp_path):
    result = await probe(site, tmp_path, scenario="forbidden", delay=0.5)
    out, _ = score_chat(result.transcript, find_checklist("online-chat"))
    # The checklist's §6.9 entries, in the seed's wording.
    assert out["measures"]["forbidden_phrases"] == [
        "你问我,我问谁?",
        "这不关我的事,这不是我的错,没这回事。",
    ]
