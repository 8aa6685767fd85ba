"""The operator's page or chat not coming up is target_unreachable (not scored)."""

from __future__ import annotations

import pytest

from probes.chat.profile import demo_profile
from probes.chat_demo import DemoChatSite
from tests.e2e.chat.conftest import probe, profile_for

pytestmark = pytest.mark.browser


async def test_http_error_page(site, tmp_path):
    profile = demo_profile(site.url("/broken"))
    result = await probe(site, tmp_path, profile=profile)
    assert result.outcome == "target_unreachable" and "HTTP 500" in (result.reason or "")


async def test_nothing_listening(tmp_path):
    with DemoChatSite() as gone:
        url = gone.url("/chat")
    result = await probe(gone, tmp_path, profile=demo_profile(url))
    assert result.outcome == "target_unreachable"
    assert "ERR_CONNECTION_REFUSED" in (result.reason or "")


async def test_chat_never_opens(site, tmp_path):
    result = await probe(site, tmp_path, profile=profile_for(site, scenario="never_opens"))
    assert result.outcome == "target_unreachable"
    assert "did not open within 3 s" in (result.reason or "")
    assert [s.label for s in result.screenshots] == ["start", "error"]
