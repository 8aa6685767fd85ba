"""Conformance: every response the simulator emitted during a varied session validates
against Twilio's own OpenAPI description (``twilio_api_v2010.json``, from twilio-oai).

JSON successes are validated with openapi-core against the documented operation, and must
carry exactly the documented fields (the description allows extra fields; Twilio sends none).
Error documents and recording media are not in the description: errors are checked against
the shape Twilio documents for them ({code, message, more_info, status}), media as WAV.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from twilio_support import ACCOUNT_SID, AUTH_TOKEN, Dialer

from probes.analysis.audio import read_wav
from probes.channels.voice.twilio import (
    ProbeCallError,
    ProbeCallRequest,
    TwilioAccount,
    VoiceChannel,
)
from probes.twilio_sim.engine import Exchange
from tests.datasets import DATASETS

SPEC_PATH = DATASETS / "twilio_api_v2010.json"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "more_info", "status"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string", "minLength": 1},
        "more_info": {"type": "string", "pattern": r"^https://www\.twilio\.com/docs/errors/\d+$"},
        "status": {"type": "integer"},
    },
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        pytest.skip(f"{SPEC_PATH} not present")
    return json.loads(SPEC_PATH.read_text())


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _operation_schema(spec: dict[str, Any], ex: Exchange) -> dict[str, Any]:
    for template, item in spec["paths"].items():
        parts, actual = template.split("/"), ex.path.split("/")
        if len(parts) == len(actual) and all(
            p == a
            or (p.startswith("{") and p.endswith("}.json") and a.endswith(".json"))
            or (p.startswith("{") and p.endswith("}"))
            for p, a in zip(parts, actual, strict=True)
        ):
            op = item[ex.method.lower()]
            content = op["responses"][str(ex.status)]["content"]["application/json"]
            return _resolve(spec, content["schema"])
    raise AssertionError(f"no documented operation for {ex.method} {ex.path}")


def _exact_fields(spec: dict[str, Any], schema: dict[str, Any], body: Any, where: str) -> None:
    declared = set(schema.get("properties", {}))
    assert set(body) == declared, (
        f"{where}: extra {set(body) - declared}, missing {declared - set(body)}"
    )
    for key, sub in schema.get("properties", {}).items():
        sub = _resolve(spec, sub)
        if sub.get("type") == "array" and isinstance(body[key], list):
            item_schema = _resolve(spec, sub["items"])
            for i, item in enumerate(body[key]):
                _exact_fields(spec, item_schema, item, f"{where}.{key}[{i}]")


async def _session(dialer: Dialer) -> None:
    """Exercise every endpoint and outcome the product uses, errors included."""
    placed = []
    for to in ("+861055550101", "+861055550106", "+861055550107", "+861055550108", "+861055550102"):
        sid, _ = await dialer.call(to)
        placed.append(sid.sid)
    async with VoiceChannel(dialer.account) as voice:
        for sid in placed:
            await voice.fetch_call(sid)
            for rec in await voice.recording_sids(sid):
                await voice.fetch_recording_wav(rec)
        for to in ("+86123", "+861055550112", "+861055550113"):
            with pytest.raises(ProbeCallError):
                await voice.place_call(
                    ProbeCallRequest(to=to, from_="+861055550000", status_callback_url="http://x/s")
                )
        with pytest.raises(ProbeCallError):
            await voice.fetch_call("CA" + "0" * 32)
    bad = TwilioAccount(ACCOUNT_SID, "0" * 32, dialer.sim.base_url)
    async with VoiceChannel(bad) as voice:
        with pytest.raises(ProbeCallError):
            await voice.fetch_call(placed[0])
    base = f"{dialer.sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}"
    auth = (ACCOUNT_SID, AUTH_TOKEN)
    async with httpx.AsyncClient(auth=auth) as http:
        await http.get(f"{base}/Calls.json")
        await http.get(f"{base}/Calls.json", params={"To": "+861055550101"})
        recordings = (await http.get(f"{base}/Recordings.json")).json()["recordings"]
        await http.get(f"{base}/Recordings.json", params={"CallSid": placed[0]})
        rec = recordings[0]
        await http.get(f"{base}/Recordings/{rec['sid']}.json")
        await http.get(f"{base}/Calls/{rec['call_sid']}/Recordings/{rec['sid']}.json")
        await http.get(f"{base}/Recordings/{rec['sid']}.wav")
        await http.get(f"{base}/Calls/{placed[1]}/Recordings.json")
        await http.post(f"{base}/Calls.json", data={"To": "+861055550101"})
        await http.post(f"{base}/Calls.json", data={"To": "+861055550101", "From": "8610-555"})
        await http.post(f"{base}/Calls.json", data={"To": "+861055550101", "From": "+861055550000"})
        await http.post(
            f"{base}/Calls.json",
            data={
                "To": "+861055550101",
                "From": "+861055550000",
                "Twiml": "<Response><Say>x</Say></Response>",
            },
        )
        await http.get(f"{base}/Queues.json")
        await http.delete(f"{base}/Calls.json")


async def test_every_response_conforms(dialer: Dialer, spec: dict[str, Any]) -> None:
    await _session(dialer)
    openapi = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))
    exchanges = list(dialer.sim.simulator.exchanges)
    seen: dict[str, int] = {}
    for ex in exchanges:
        where = f"{ex.method} {ex.path}?{ex.query} -> {ex.status}"
        if ex.status >= 400:
            assert ex.content_type.startswith("application/json"), where
            body = json.loads(ex.body)
            jsonschema.validate(body, ERROR_SCHEMA)
            assert body["status"] == ex.status, where
            seen[f"error {body['code']}"] = seen.get(f"error {body['code']}", 0) + 1
            continue
        if ex.path.endswith(".wav"):
            assert ex.content_type == "audio/x-wav", where
            read_wav(ex.body)
            seen["media"] = seen.get("media", 0) + 1
            continue
        request = MockRequest(
            "https://api.twilio.com",
            ex.method.lower(),
            ex.path,
            args=dict(httpx.QueryParams(ex.query)),
            data=ex.request_body,
            content_type=ex.request_content_type or "application/json",
        )
        response = MockResponse(ex.body, status_code=ex.status, content_type="application/json")
        openapi.validate_response(request, response)
        _exact_fields(spec, _operation_schema(spec, ex), json.loads(ex.body), where)
        seen[f"{ex.method} {ex.status}"] = seen.get(f"{ex.method} {ex.status}", 0) + 1
    # The session really covered what the product uses.
    for kind in ("POST 201", "GET 200", "media", "error 21211", "error 20429", "error 20003",
                 "error 20404", "error 21214", "error 21213", "error 21212", "error 12100", "error 21205",
                 "error 20004"):  # fmt: skip
        assert seen.get(kind), f"no {kind} response in the session: {seen}"
