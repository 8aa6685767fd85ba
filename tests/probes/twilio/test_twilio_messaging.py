"""Twilio Messaging in the simulator: ``Messages.json`` answers as Twilio's own description
(``twilio_api_v2010.json``) says, status callbacks and the service number's reply arrive
signed as Twilio signs them, and the message resources carry the provider's times."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from test_twilio_conformance import ERROR_SCHEMA, SPEC_PATH, _exact_fields, _operation_schema
from twilio_support import ACCOUNT_SID, AUTH_TOKEN, FROM, Sink, make_config

from probes.channels.sms.client import SmsClient
from probes.channels.twilio_shared import ProbeCallError, TwilioAccount
from probes.twilio_sim import parse_scenarios, start_simulator, twilio_signature
from probes.twilio_sim.messaging import message_callbacks, wait_message

SERVICE = "+861055550201"  # demo: replies with the balance 4 s after delivery


@pytest.fixture
def spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        pytest.skip(f"{SPEC_PATH} not present")
    return dict(json.loads(SPEC_PATH.read_text()))


async def test_send_callbacks_reply_and_conformance(sink: Sink, spec: dict[str, Any]) -> None:
    config = make_config(sms_url=sink.url("/webhooks/twilio/sms/inbound"))
    with start_simulator(config) as sim:
        account = TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, sim.base_url)
        status_url = sink.url("/webhooks/twilio/sms/status?run=3")
        async with SmsClient(account) as sms:
            sid = await sms.send(SERVICE, FROM, "查询余额", status_url)
            await asyncio.to_thread(wait_message, sim.simulator, sid)
            sent = await sms.fetch(sid)
            (reply,) = await sms.replies(SERVICE, FROM)
            for bad in ({"To": SERVICE, "From": FROM}, {"To": "8610-5555", "From": FROM,
                        "Body": "x"}, {"From": FROM, "Body": "x"}, {"To": SERVICE, "Body": "x"}):  # fmt: skip
                async with httpx.AsyncClient(auth=(ACCOUNT_SID, AUTH_TOKEN)) as http:
                    base = f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}"
                    r = await http.post(f"{base}/Messages.json", data=bad)
                    assert r.status_code == 400, r.text
            with pytest.raises(ProbeCallError) as refused:
                await sms.send("+86123", FROM, "查询余额", status_url)
            assert refused.value.permanent and refused.value.code == 21211
        callbacks = message_callbacks(sim.simulator, sid)
        exchanges = list(sim.simulator.exchanges)

    assert (sent.status, reply.status, reply.body) == ("delivered", "received",
                                                      "【示例电信】尊敬的客户,您的账户余额为35.20元。")  # fmt: skip
    assert sent.date_sent is not None and reply.date_created is not None
    assert (reply.date_created - sent.date_sent).total_seconds() == 5  # sent +1 s, reply +6 s
    assert [(c.kind, c.event) for c in callbacks] == [
        ("message", "sent"), ("message", "delivered"), ("inbound", "received"),
    ]  # fmt: skip
    for c in callbacks:  # each signed for its exact URL, as Twilio signs
        assert c.signature == twilio_signature(AUTH_TOKEN, c.url, c.params)
        assert c.response_status == 204
    inbound = callbacks[-1].params
    assert (inbound["From"], inbound["To"], inbound["SmsStatus"]) == (SERVICE, FROM, "received")
    assert sink.received[-1].path == "/webhooks/twilio/sms/inbound"

    openapi = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))
    seen = set()
    for ex in exchanges:
        where = f"{ex.method} {ex.path} -> {ex.status}"
        if ex.status >= 400:
            import jsonschema

            jsonschema.validate(json.loads(ex.body), ERROR_SCHEMA)
            seen.add(f"error {json.loads(ex.body)['code']}")
            continue
        request = MockRequest("https://api.twilio.com", ex.method.lower(), ex.path,
                              args=dict(httpx.QueryParams(ex.query)), data=ex.request_body,
                              content_type=ex.request_content_type or "application/json")  # fmt: skip
        openapi.validate_response(
            request, MockResponse(ex.body, status_code=ex.status, content_type="application/json")
        )
        _exact_fields(spec, _operation_schema(spec, ex), json.loads(ex.body), where)
        seen.add(f"{ex.method} {ex.status}")
    assert {"POST 201", "GET 200", "error 21602", "error 21211", "error 21603",
            "error 21604"} <= seen, seen  # fmt: skip


async def test_undelivered_message_sends_no_reply(sink: Sink) -> None:
    scenarios = parse_scenarios({"numbers": {SERVICE: {"sms": {
        "delivery": "undelivered", "replies": [{"text": "余额1元"}]}}}})  # fmt: skip
    config = make_config(scenarios=scenarios, sms_url=sink.url("/in"))
    with start_simulator(config) as sim:
        account = TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, sim.base_url)
        async with SmsClient(account) as sms:
            sid = await sms.send(SERVICE, FROM, "查询余额", sink.url("/status"))
            await asyncio.to_thread(wait_message, sim.simulator, sid)
            sent = await sms.fetch(sid)
        callbacks = message_callbacks(sim.simulator, sid)
    assert (sent.status, sent.error_code) == ("undelivered", 30003)
    assert [c.event for c in callbacks] == ["sent", "undelivered"]
    assert callbacks[-1].params["ErrorCode"] == "30003"
