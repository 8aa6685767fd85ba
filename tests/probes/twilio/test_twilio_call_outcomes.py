"""Each kind of simulated contact centre, called through the real SDK: status callbacks,
call resource and the answer analysis agree with the scenario."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import pytest
from twilio_support import Dialer

from probes.analysis.answer import StatusEvent, analyze_answer
from probes.channels.voice.twilio import VoiceChannel

CASES = [
    # number, final status, callbacks expected, outcome, answer seconds, rings
    ("+861055550101", "completed", ["initiated", "ringing", "in-progress", "completed"], "answered", 10.0, 2),
    ("+861055550102", "completed", ["initiated", "ringing", "in-progress", "completed"], "answered", 5.0, 1),
    ("+861055550103", "completed", ["initiated", "ringing", "in-progress", "completed"], "answered", 10.0, 2),
    ("+861055550104", "completed", ["initiated", "ringing", "in-progress", "completed"], "answered", 25.0, 5),
    ("+861055550106", "busy", ["initiated", "busy"], "busy", None, None),
    ("+861055550107", "no-answer", ["initiated", "ringing", "no-answer"], "no_answer", None, None),
    ("+861055550108", "failed", ["initiated", "failed"], "failed", None, None),
]  # fmt: skip


@pytest.mark.parametrize(("to", "final", "statuses", "outcome", "seconds", "rings"), CASES)
async def test_outcome(
    dialer: Dialer,
    to: str,
    final: str,
    statuses: list[str],
    outcome: str,
    seconds: float | None,
    rings: int | None,
) -> None:
    placed, done = await dialer.call(to)
    assert placed.status == "queued"
    assert done.status == final

    posted = dialer.sink.for_call(placed.sid, "/webhooks/twilio/status")
    assert [r.params["CallStatus"] for r in posted] == statuses
    assert [r.params["SequenceNumber"] for r in posted] == [str(i) for i in range(len(statuses))]
    assert all(r.path == "/webhooks/twilio/status?probe=7" for r in posted)

    events = [
        StatusEvent(
            r.params["CallStatus"],
            parsedate_to_datetime(r.params["Timestamp"]),
            float(r.params["CallDuration"]) if "CallDuration" in r.params else None,
        )
        for r in posted
    ]
    result = analyze_answer(events)
    assert (result.outcome, result.answer_seconds, result.rings) == (outcome, seconds, rings)

    async with VoiceChannel(dialer.account) as voice:
        fetched = await voice.fetch_call(placed.sid)
    assert fetched["status"] == final
    last = posted[-1].params
    if final == "completed":
        assert fetched["duration"] == last["CallDuration"]
        assert int(last["CallDuration"]) > 0
        assert last["RecordingSid"].startswith("RE")
        assert last["RecordingUrl"].endswith("/Recordings/" + last["RecordingSid"])
    else:
        assert "RecordingSid" not in last
        assert last["CallDuration"] == "0"


async def test_no_answer_follows_ring_timeout(dialer: Dialer) -> None:
    """Five rings (25 s) with a 20 s ring timeout: Twilio gives up, nobody answers."""
    placed, done = await dialer.call("+861055550104", ring_timeout_s=20)
    assert done.status == "no-answer"
    posted = dialer.sink.for_call(placed.sid, "/webhooks/twilio/status")
    times = {r.params["CallStatus"]: parsedate_to_datetime(r.params["Timestamp"]) for r in posted}
    assert (times["no-answer"] - times["ringing"]).total_seconds() == 20


async def test_probe_hangs_up_first_when_listening_briefly(dialer: Dialer) -> None:
    """Our TwiML pauses 8 s: the call ends after 8 s in conversation, cut by our side."""
    placed, done = await dialer.call("+861055550101", listen_s=8)
    assert done.plan.ended_by == "caller"
    completed = dialer.sink.for_call(placed.sid, "/webhooks/twilio/status")[-1].params
    assert completed["CallDuration"] == "8"
