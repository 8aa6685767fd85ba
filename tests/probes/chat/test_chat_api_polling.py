"""Chat-API adapter in polling mode, and an unreachable API."""

from __future__ import annotations

from probes.analysis.chat import analyse_chat
from probes.channels.chat_api.client import load_api_profile, run_api_chat
from probes.chat.profile import load_script
from probes.chat_demo import DemoChatSite

SCRIPT = load_script(
    {"id": "t", "steps": [{"say": "我想问一下5G套餐怎么办理?"}, {"await_reply": 10}]}
)


async def test_polling_collects_agent_messages():
    with DemoChatSite() as site:
        profile = load_api_profile(
            {
                "name": "demo",
                "base_url": site.base_url,
                "mode": "polling",
                "poll_interval_s": 0.1,
                "settle_s": 0.3,
                "start_params": {"scenario": "taboo_tomorrow", "delay": "0.3"},
            }
        )
        result = await run_api_chat(profile, SCRIPT)
    assert result.outcome == "completed", result.reason
    assert analyse_chat(result.transcript).taboos == ["sent_away_until_tomorrow"]


async def test_api_down_is_target_unreachable():
    with DemoChatSite() as site:
        base = site.base_url
    # the site is stopped: nothing listens on that port any more
    profile = load_api_profile({"name": "gone", "base_url": base, "mode": "polling"})
    result = await run_api_chat(profile, SCRIPT)
    assert result.outcome == "target_unreachable"
    assert "POST" in (result.reason or "")


async def test_unknown_scenario_is_an_http_error_from_the_api():
    with DemoChatSite() as site:
        profile = load_api_profile(
            {
                "name": "demo",
                "base_url": site.base_url,
                "mode": "polling",
                "start_params": {"scenario": "nope"},
            }
        )
        result = await run_api_chat(profile, SCRIPT)
    assert result.outcome == "target_unreachable" and "HTTP 400" in (result.reason or "")
