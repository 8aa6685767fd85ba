"""Chat probe HTTP API: score a transcript, chat-API runs, the HMAC-signed chat webhook."""

from __future__ import annotations

import json
import time

import pytest

from audit.domain.operators.schemas import VenueIn
from audit.domain.operators.services import create_venue
from audit.domain.probing import chat
from audit.domain.probing.chat_controllers import CHAT_ROUTES
from probes.channels.chat_api.signing import signed_headers
from probes.chat_demo import DemoChatSite
from tests.probes.chat.conftest import QUESTION, SHORT_HELLO, raw

SECRET = "venue-secret"


@pytest.fixture
async def client(app):
    from litestar.testing import AsyncTestClient

    paths = {getattr(r, "path", "") for r in app.routes}
    if "/probe-runs/chat" not in paths:  # until controllers.py appends CHAT_ROUTES
        for controller in CHAT_ROUTES:
            app.register(controller)
    async with AsyncTestClient(app, base_url="https://testserver.local") as c:
        yield c


async def api_venue(cast, base_url, mode="webhook", **params):
    profile = {
        "base_url": base_url,
        "mode": mode,
        "webhook_secret": SECRET,
        "settle_s": 0,
        "poll_interval_s": 0.1,
        "start_params": params,
    }
    return await create_venue(
        cast.operator_a["id"],
        VenueIn(kind="chat_api", name="甲通信API", profile=profile),
        cast.actor("admin"),
    )


async def test_score_transcript_contract(client, cast):
    transcript = raw(
        ("customer", 0, QUESTION), ("agent", 50, SHORT_HELLO + ",是流量费,请问还有什么可以帮您?")
    )
    r = await client.post(
        "/probe-runs/chat/score", json={"transcript": transcript}, headers=cast.headers("analyst")
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["verdict"] == "fail" and out["run_id"] is None
    assert out["measures"]["first_response_seconds"] == 50
    high = await client.post(
        "/probe-runs/chat/score",
        json={"transcript": transcript, "sessions_per_day": 400},
        headers=cast.headers("analyst"),
    )
    assert high.json()["verdict"] == "pass"


async def test_score_transcript_bad_input_and_roles(client, cast):
    bad = {"messages": [{"from": "agent", "at": "not a time", "text": "x"}]}
    r = await client.post(
        "/probe-runs/chat/score", json={"transcript": bad}, headers=cast.headers("analyst")
    )
    assert r.status_code == 400 and "messages[0].at" in r.json()["detail"]
    r = await client.post(
        "/probe-runs/chat/score",
        json={"transcript": raw(("customer", 0, "在吗"))},
        headers=cast.headers("op_a"),
    )
    assert r.status_code in (401, 403)


async def test_scored_transcript_kept_as_a_run(client, cast):
    with DemoChatSite() as site:
        venue = await api_venue(cast, site.base_url)
    transcript = raw(("customer", 0, QUESTION), ("agent", 5, SHORT_HELLO))
    r = await client.post(
        "/probe-runs/chat/score",
        json={"transcript": transcript, "venue_id": venue["id"]},
        headers=cast.headers("inspector1"),
    )
    run_id = r.json()["run_id"]
    got = await client.get(f"/probe-runs/chat/{run_id}", headers=cast.headers("inspector1"))
    assert got.status_code == 200 and got.json()["provider"] == "transcript"
    assert got.json()["measures"]["first_response_seconds"] == 5


async def test_chat_api_run_by_polling(cast):
    with DemoChatSite() as site:
        venue = await api_venue(
            cast, site.base_url, mode="polling", scenario="compliant", delay="0.3"
        )
        run = await chat.start_chat_run(
            cast.actor("inspector1"),
            venue_id=venue["id"],
            wait=True,
            script={"id": "q", "steps": [{"say": QUESTION}, {"await_reply": 5}]},
        )
    assert (run["status"], run["outcome"]) == ("completed", "completed"), run["error_reason"]
    assert run["provider"] == "http" and run["measures"]["first_response_seconds"] >= 0.3


async def test_signed_chat_webhook(client, cast):
    with DemoChatSite(webhook_secret=SECRET) as site:
        venue = await api_venue(cast, site.base_url, scenario="silent")
        run = await chat.start_chat_run(
            cast.actor("inspector1"),
            venue_id=venue["id"],
            wait=True,
            script={"id": "q", "steps": [{"say": "在吗"}, {"await_reply": 0.2}]},
        )
    url = f"/webhooks/chat/{run['id']}"
    body = json.dumps(
        {
            "session_id": "s",
            "message_id": "m1",
            "from": "agent",
            "text": "亲,您好",
            "at": time.time(),
        }
    ).encode()
    ok = await client.post(url, content=body, headers=signed_headers(SECRET, body))
    again = await client.post(url, content=body, headers=signed_headers(SECRET, body))
    forged = await client.post(url, content=body, headers=signed_headers("guess", body))
    unsigned = await client.post(url, content=body, headers={"Content-Type": "application/json"})
    missing = await client.post(
        "/webhooks/chat/999999", content=body, headers=signed_headers(SECRET, body)
    )
    assert ok.status_code == 202 and ok.json()["duplicate"] is False
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert forged.status_code == 403 and unsigned.status_code == 403
    assert missing.status_code == 404


async def test_concurrent_duplicate_webhooks_store_one_message(client, cast):
    import asyncio

    from audit.domain.probing.tables import ProbeEvent

    with DemoChatSite(webhook_secret=SECRET) as site:
        venue = await api_venue(cast, site.base_url, scenario="silent")
        run = await chat.start_chat_run(
            cast.actor("inspector1"),
            venue_id=venue["id"],
            wait=True,
            script={"id": "q", "steps": [{"say": "在吗"}, {"await_reply": 0.2}]},
        )
    body = json.dumps({"session_id": "s", "message_id": "twin", "text": "亲,您好"}).encode()
    url = f"/webhooks/chat/{run['id']}"
    answers = await asyncio.gather(
        *(client.post(url, content=body, headers=signed_headers(SECRET, body)) for _ in range(4))
    )
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 202]
    # one message stored (the run's other event is the chat's own end, session:ended)
    messages = (ProbeEvent.run == run["id"]) & (ProbeEvent.kind == "message")
    assert await ProbeEvent.count().where(messages) == 1
