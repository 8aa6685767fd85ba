"""The demo chat site: scenarios from query parameters, its chat API, bad input."""

from __future__ import annotations

import httpx
import pytest

from probes.chat_demo import SCENARIOS, scenario_from_query
from probes.chat_demo.agent import CLOSING


def test_every_scenario_builds():
    for name in SCENARIOS:
        assert scenario_from_query({"scenario": name}).name == name


def test_replies_are_scheduled_from_the_customer_message():
    agent = scenario_from_query(
        {"scenario": "long_wait", "delay": "3", "wait": "130", "apology": "1"}
    )
    (first, second) = agent.replies_to(0)
    assert first[0] == 3 and "稍等" in first[1]
    assert second[0] == 133 and second[1].startswith("感谢您的耐心等待")
    assert agent.replies_to(1) == ((1.0, CLOSING),)
    assert agent.replies_to(5) == ()


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"scenario": "x"}, "unknown scenario"),
        ({"delay": "soon"}, "delay"),
        ({"wait": "-1"}, "wait"),
    ],
)
def test_bad_parameters(query, fragment):
    with pytest.raises(ValueError, match=fragment):
        scenario_from_query(query)


def test_pages_and_api(demo_site):
    base = demo_site.base_url
    assert httpx.get(f"{base}/chat?scenario=compliant").status_code == 200
    assert 'id="chat-frame"' in httpx.get(f"{base}/chat?iframe=1").text
    assert httpx.get(f"{base}/chat?scenario=nope").status_code == 400
    assert httpx.get(f"{base}/broken").status_code == 500
    created = httpx.post(
        f"{base}/api/sessions", json={"params": {"scenario": "compliant", "delay": "0"}}
    )
    assert created.status_code == 201
    sid = created.json()["session_id"]
    assert httpx.post(f"{base}/api/sessions/{sid}/messages", json={"text": ""}).status_code == 400
    assert httpx.post(f"{base}/api/sessions/nope/messages", json={"text": "x"}).status_code == 404
    sent = httpx.post(f"{base}/api/sessions/{sid}/messages", json={"text": "在吗"})
    assert sent.status_code == 202
    log = httpx.get(f"{base}/api/sessions/{sid}/log").json()["messages"]
    assert log[0]["from"] == "customer" and log[0]["text"] == "在吗"
