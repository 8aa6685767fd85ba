"""Twilio errors reach the adapter as ProbeCallError with Twilio's code and a verdict on
whether retrying can help: invalid number and auth failure are permanent, 429 is not."""

from __future__ import annotations

import pytest
from twilio_support import ACCOUNT_SID, AUTH_TOKEN, FROM, Dialer

from probes.channels.voice.twilio import (
    ProbeCallError,
    ProbeCallRequest,
    TwilioAccount,
    VoiceChannel,
)
from probes.twilio_sim import RunningSimulator


def _req(to: str, from_: str = FROM) -> ProbeCallRequest:
    return ProbeCallRequest(to=to, from_=from_, status_callback_url="http://127.0.0.1:9/s")


@pytest.mark.parametrize(
    ("to", "from_", "code", "status", "permanent"),
    [
        ("+86123", FROM, 21211, 400, True),
        ("0105555", FROM, 21211, 400, True),
        ("+861055550101", "anonymous", 21212, 400, True),
        ("+861055550113", FROM, 21214, 400, True),
    ],
)
async def test_rejected_numbers(
    account: TwilioAccount, to: str, from_: str, code: int, status: int, permanent: bool
) -> None:
    async with VoiceChannel(account) as voice:
        with pytest.raises(ProbeCallError) as caught:
            await voice.place_call(_req(to, from_))
    assert (caught.value.code, caught.value.http_status) == (code, status)
    assert caught.value.permanent is permanent


async def test_rate_limit_is_transient_and_a_retry_succeeds(
    account: TwilioAccount, sim: RunningSimulator
) -> None:
    async with VoiceChannel(account) as voice:
        with pytest.raises(ProbeCallError) as caught:
            await voice.place_call(_req("+861055550112"))
        assert (caught.value.code, caught.value.http_status) == (20429, 429)
        assert caught.value.permanent is False
        placed = await voice.place_call(_req("+861055550112"))
    assert placed.sid in sim.simulator.calls


async def test_wrong_credentials_are_permanent(sim: RunningSimulator) -> None:
    for account in (
        TwilioAccount(ACCOUNT_SID, "0" * 32, sim.base_url),
        TwilioAccount("AC" + "9" * 32, AUTH_TOKEN, sim.base_url),
    ):
        async with VoiceChannel(account) as voice:
            with pytest.raises(ProbeCallError) as caught:
                await voice.place_call(_req("+861055550101"))
        assert (caught.value.code, caught.value.http_status, caught.value.permanent) == (
            20003,
            401,
            True,
        )
    assert sim.simulator.calls == {}


async def test_unknown_call_and_recording(dialer: Dialer) -> None:
    async with VoiceChannel(dialer.account) as voice:
        with pytest.raises(ProbeCallError) as caught:
            await voice.fetch_call("CA" + "0" * 32)
        assert caught.value.code == 20404
        with pytest.raises(ProbeCallError) as caught:
            await voice.fetch_recording_wav("RE" + "0" * 32)
        assert (caught.value.code, caught.value.http_status) == (20404, 404)
        with pytest.raises(ValueError, match="RE SID"):
            await voice.fetch_recording_wav("../../etc/passwd")


async def test_unreachable_service_is_transient() -> None:
    account = TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, "http://127.0.0.1:9")
    async with VoiceChannel(account) as voice:
        with pytest.raises(ProbeCallError) as caught:
            await voice.place_call(_req("+861055550101"))
    assert caught.value.code is None and caught.value.permanent is False
