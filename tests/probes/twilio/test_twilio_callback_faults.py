"""Network weather on request: a scenario can make the simulator deliver status callbacks
twice and in reverse order (completed before answered), as the internet sometimes does."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from twilio_support import Dialer

from probes.analysis.answer import StatusEvent, analyze_answer


async def test_reversed_and_duplicated_delivery(dialer: Dialer) -> None:
    placed, _ = await dialer.call("+861055550114")
    posted = dialer.sink.for_call(placed.sid, "/webhooks/twilio/status")
    statuses = [r.params["CallStatus"] for r in posted]
    assert statuses == [
        "completed", "completed", "in-progress", "in-progress",
        "ringing", "ringing", "initiated", "initiated",
    ]  # fmt: skip
    # A duplicate is the same request again: same sequence number, same idempotency token.
    assert posted[0].params == posted[1].params
    assert (
        posted[0].headers["I-Twilio-Idempotency-Token"]
        == posted[1].headers["I-Twilio-Idempotency-Token"]
    )
    # The answer analysis does not care about arrival order.
    events = [
        StatusEvent(r.params["CallStatus"], parsedate_to_datetime(r.params["Timestamp"]))
        for r in posted
    ]
    result = analyze_answer(events)
    assert (result.outcome, result.answer_seconds, result.rings) == ("answered", 10.0, 2)
