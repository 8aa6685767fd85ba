"""The simulated clock: callbacks carry simulated times from a configurable start, so a test
can place a call "at 09:00 on National Day" (Beijing) and the app judges that moment."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from twilio_support import ACCOUNT_SID, AUTH_TOKEN, Sink, make_config

from probes.channels.voice.twilio import ProbeCallRequest, TwilioAccount, VoiceChannel
from probes.twilio_sim import start_simulator


async def test_callbacks_follow_the_simulated_clock(sink: Sink) -> None:
    start = datetime(2026, 10, 1, 1, 0, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai
    with start_simulator(make_config(clock_start=start)) as running:
        async with VoiceChannel(TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, running.base_url)) as v:
            placed = await v.place_call(
                ProbeCallRequest(
                    to="+861055550104", from_="+861055550000",
                    status_callback_url=sink.url("/status"),
                )
            )  # fmt: skip
        await asyncio.to_thread(running.simulator.wait_call, placed.sid)
    posted = sink.for_call(placed.sid, "/status")
    times = [parsedate_to_datetime(r.params["Timestamp"]) for r in posted]
    assert times[0].date() == start.date() and times[0].hour == 1
    # 1 s to ringing, five 5 s rings, then a call of about half a minute: simulated seconds.
    assert (times[2] - times[1]).total_seconds() == 25
    assert (times[3] - times[2]).total_seconds() == int(posted[3].params["CallDuration"])
