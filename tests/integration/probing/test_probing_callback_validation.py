"""Signed callbacks the run could not use are refused at the edge (issue 16 item 10): a
5,000-character or unknown ``CallStatus``, a bad event name or CallSid, a NUL. They answer 400,
nothing is stored, and the run's later callbacks keep working (before, an unknown status was
stored and every later callback of the run was a 500; on PostgreSQL the long one was a 500)."""

from __future__ import annotations

from typing import Any

import pytest
from probing_support import AUTH_TOKEN, PUBLIC, Live

from probes.twilio_sim import twilio_signature


async def _post(live: Live, run: dict[str, Any], kind: str, **params: str) -> Any:
    path = f"/webhooks/twilio/{kind}?run={run['id']}"
    body = {"CallSid": run["provider_ref"], "AccountSid": "AC" + "5" * 32, **params}
    sig = twilio_signature(AUTH_TOKEN, PUBLIC + path, body)
    return await live.http.post(path, data=body, headers={"X-Twilio-Signature": sig})


async def _events(run_id: int) -> int:
    from audit.domain.probing.tables import ProbeEvent

    return await ProbeEvent.count().where(ProbeEvent.run == run_id)


STAMP = "Tue, 10 Mar 2026 06:00:40 +0000"


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("status", {"CallStatus": "x" * 5000, "Timestamp": STAMP}, "CallStatus"),
        ("status", {"CallStatus": "bogus", "Timestamp": STAMP}, "CallStatus"),
        ("status", {"CallStatus": "completed\x00", "Timestamp": STAMP}, "body"),
        ("status", {"CallStatus": "ringing", "CallSid": "CA" + "1" * 500}, "CallSid"),
        (
            "transcription",
            {"TranscriptionEvent": "t" * 300, "SequenceId": "1"},
            "TranscriptionEvent",
        ),
    ],
    ids=["long status", "unknown status", "NUL", "long CallSid", "long event"],
)
async def test_refused_and_later_callbacks_work(
    live: Live, hotline: dict[str, Any], kind: str, params: dict[str, str], field: str
) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550106")
    run = await live.finished(run)
    stored = await _events(run["id"])

    r = await _post(live, run, kind, **params)
    assert r.status_code == 400, r.text
    assert r.json()["field"] == field
    assert await _events(run["id"]) == stored  # never stored

    # The run's later callbacks: a repeat of its real end (this number is busy), and a status
    # it never had.
    assert run["outcome"] == "busy"
    r = await _post(live, run, "status", CallStatus="busy", Timestamp=STAMP)
    assert r.status_code == 204, r.text
    r = await _post(live, run, "status", CallStatus="ringing", Timestamp=STAMP)
    assert r.status_code == 204, r.text
    after = await live.finished(run)
    assert after["status"] == run["status"] == "completed"
    assert after["outcome"] == run["outcome"]
