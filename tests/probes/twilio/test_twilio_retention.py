"""The simulator keeps a bounded number of recordings (a retention policy): the oldest is
gone (404) once newer ones exceed the limit, as media a real account deleted would be."""

from __future__ import annotations

import asyncio

import pytest
from twilio_support import ACCOUNT_SID, AUTH_TOKEN, FROM, Sink, make_config

from probes.channels.voice.twilio import (
    ProbeCallError,
    ProbeCallRequest,
    TwilioAccount,
    VoiceChannel,
)
from probes.twilio_sim import start_simulator


async def test_oldest_recording_expires(sink: Sink) -> None:
    with start_simulator(make_config(max_recordings=1)) as running:
        account = TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, running.base_url)
        sids = []
        async with VoiceChannel(account) as voice:
            for _ in range(2):
                placed = await voice.place_call(
                    ProbeCallRequest(to="+861055550102", from_=FROM,
                                     status_callback_url=sink.url("/s"))
                )  # fmt: skip
                await asyncio.to_thread(running.simulator.wait_call, placed.sid)
                sids.append(placed.sid)
            first, second = [await voice.recording_sids(s) for s in sids]
            assert first == [] and len(second) == 1
            assert await voice.fetch_recording_wav(second[0])
            old = sink.for_call(sids[0], "/s")[-1].params["RecordingSid"]
            with pytest.raises(ProbeCallError) as caught:
                await voice.fetch_recording_wav(old)
            assert caught.value.code == 20404
