"""Chat-API adapter with signed webhooks: bad signatures are rejected, duplicates ignored."""

from __future__ import annotations

import json
import time

import httpx

from probes.channels.chat_api.client import load_api_profile, run_api_chat
from probes.channels.chat_api.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers
from probes.channels.chat_api.webhook import WebhookInbox, WebhookReceiver
from probes.chat.profile import load_script
from probes.chat_demo import DemoChatSite

SECRET = "test-secret"
SCRIPT = load_script(
    {
        "id": "t",
        "steps": [
            {"say": "你好,我想问一下5G套餐怎么办理?"},
            {"await_reply": 10},
            {"say": "好的,谢谢"},
            {"await_reply": 10},
        ],
    }
)


def body(message_id: str = "m1", text: str = "亲,您好") -> bytes:
    return json.dumps(
        {
            "event": "message",
            "session_id": "s1",
            "message_id": message_id,
            "from": "agent",
            "text": text,
            "at": time.time(),
        }
    ).encode()


def test_inbox_rejects_bad_signature_and_ignores_duplicates():
    got = []
    inbox = WebhookInbox(SECRET, got.append)
    b = body()
    forged = signed_headers("wrong-secret", b)
    assert inbox.receive(b, forged).status == 401
    tampered = signed_headers(SECRET, b)
    assert inbox.receive(body(text="改过的"), tampered).status == 401
    assert inbox.receive(b, {}).status == 401
    first = inbox.receive(b, signed_headers(SECRET, b))
    again = inbox.receive(b, signed_headers(SECRET, b))
    assert first.status == 202 and again.status == 200 and again.duplicate
    assert [m.message_id for m in got] == ["m1"]


def test_stale_timestamp_is_rejected():
    inbox = WebhookInbox(SECRET)
    b = body()
    old = signed_headers(SECRET, b, now=time.time() - 3600)
    result = inbox.receive(b, old)
    assert result.status == 401 and TIMESTAMP_HEADER in result.detail


def test_malformed_body_names_the_field():
    inbox = WebhookInbox(SECRET)
    b = json.dumps({"session_id": "s1", "message_id": "", "text": "x"}).encode()
    result = inbox.receive(b, signed_headers(SECRET, b))
    assert result.status == 400 and "message_id" in result.detail


def test_receiver_over_http():
    inbox = WebhookInbox(SECRET)
    with WebhookReceiver(inbox) as receiver:
        b = body("m9")
        good = httpx.post(receiver.url, content=b, headers=signed_headers(SECRET, b))
        dup = httpx.post(receiver.url, content=b, headers=signed_headers(SECRET, b))
        bad = httpx.post(
            receiver.url,
            content=b,
            headers={TIMESTAMP_HEADER: str(int(time.time())), SIGNATURE_HEADER: "sha256=00"},
        )
    assert (good.status_code, dup.status_code, bad.status_code) == (202, 200, 401)
    assert dup.json()["duplicate"] is True


async def test_chat_over_the_api_with_duplicated_webhooks():
    # The demo site delivers every webhook twice (at-least-once delivery).
    with DemoChatSite(webhook_secret=SECRET, duplicate_webhooks=True) as site:
        profile = load_api_profile(
            {
                "name": "demo",
                "base_url": site.base_url,
                "mode": "webhook",
                "webhook_secret": SECRET,
                "start_params": {"scenario": "compliant", "delay": "0.5"},
            }
        )
        result = await run_api_chat(profile, SCRIPT)
    assert result.outcome == "completed", result.reason
    senders = [m.sender for m in result.transcript.messages]
    assert senders == ["customer", "agent", "customer", "agent"]
    assert site.webhook_failures == []


async def test_wrong_secret_means_no_agent_messages_are_accepted():
    with DemoChatSite(webhook_secret="operator-secret") as site:
        profile = load_api_profile(
            {
                "name": "demo",
                "base_url": site.base_url,
                "mode": "webhook",
                "webhook_secret": SECRET,
                "settle_s": 0,
                "start_params": {"scenario": "compliant", "delay": "0.2"},
            }
        )
        script = load_script({"id": "t", "steps": [{"say": "在吗"}, {"await_reply": 1.5}]})
        result = await run_api_chat(profile, script)
    assert result.outcome == "completed"
    assert not result.agent_answered
    assert any("HTTP 401" in f for f in site.webhook_failures)
