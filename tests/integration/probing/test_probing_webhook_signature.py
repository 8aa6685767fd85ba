"""Webhooks must carry Twilio's signature for the exact public URL: missing, wrong, or signed
for another URL (e.g. the internal address behind the proxy) ⇒ 403 and a log line, and the
run does not change."""

from __future__ import annotations

from typing import Any

import pytest
from probing_support import AUTH_TOKEN, PUBLIC, Live
from structlog.testing import capture_logs

from probes.twilio_sim import twilio_signature


def _params(call_sid: str) -> dict[str, str]:
    return {
        "CallSid": call_sid,
        "CallStatus": "completed",
        "Timestamp": "Tue, 10 Mar 2026 06:00:40 +0000",
        "CallDuration": "30",
        "AccountSid": "AC" + "5" * 32,
    }


async def _run(live: Live, hotline: dict[str, Any]) -> dict[str, Any]:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550106")
    return await live.finished(run)


@pytest.mark.parametrize("case", ["missing", "wrong token", "internal url", "tampered"])
async def test_rejected(live: Live, hotline: dict[str, Any], case: str) -> None:
    run = await _run(live, hotline)
    path = f"/webhooks/twilio/status?run={run['id']}"
    params = _params(run["provider_ref"])
    headers: dict[str, str] = {}
    if case == "wrong token":
        headers["X-Twilio-Signature"] = twilio_signature("0" * 32, PUBLIC + path, params)
    elif case == "internal url":
        headers["X-Twilio-Signature"] = twilio_signature(AUTH_TOKEN, live.base_url + path, params)
    elif case == "tampered":
        headers["X-Twilio-Signature"] = twilio_signature(AUTH_TOKEN, PUBLIC + path, params)
        params = dict(params, CallDuration="31")
    with capture_logs() as logs:
        r = await live.http.post(path, data=params, headers=headers)
    assert r.status_code == 403, r.text
    assert [e for e in logs if e["event"] == "twilio webhook rejected"], logs
    after = await live.finished(run)
    assert after["updated_at"] == run["updated_at"] and after["measures"] == run["measures"]


async def test_accepted_when_signed_for_the_public_url(live: Live, hotline: dict[str, Any]) -> None:
    """The control: the same forged-by-us request, correctly signed, is accepted (204)."""
    run = await _run(live, hotline)
    path = f"/webhooks/twilio/status?run={run['id']}"
    params = dict(_params(run["provider_ref"]), CallStatus="busy")
    sig = twilio_signature(AUTH_TOKEN, PUBLIC + path, params)
    r = await live.http.post(path, data=params, headers={"X-Twilio-Signature": sig})
    assert r.status_code == 204, r.text
