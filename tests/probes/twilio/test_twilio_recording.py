"""The recording: real audio, two channels (1 = our silent line, 2 = the agent), fetched as
Twilio serves it, and judged by the silent-call analyser as the scenario intends."""

from __future__ import annotations

import httpx
import numpy as np
import pytest
from twilio_support import ACCOUNT_SID, AUTH_TOKEN, Dialer

from probes.analysis.audio import read_wav
from probes.analysis.silent_call import analyze_recording
from probes.channels.voice.twilio import VoiceChannel


def _dbfs(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(x.astype(np.float64) ** 2) / 32768.0**2 + 1e-12))


async def _wav(dialer: Dialer, to: str, **kw: object) -> tuple[bytes, dict[str, str]]:
    placed, _ = await dialer.call(to, **kw)
    completed = dialer.sink.for_call(placed.sid, "/webhooks/twilio/status")[-1].params
    async with VoiceChannel(dialer.account) as voice:
        assert await voice.recording_sids(placed.sid) == [completed["RecordingSid"]]
        return await voice.fetch_recording_wav(completed["RecordingSid"]), completed


async def test_dual_channel_real_audio(dialer: Dialer) -> None:
    wav, completed = await _wav(dialer, "+861055550101")
    audio = read_wav(wav)
    assert (audio.n_channels, audio.sample_rate) == (2, 8000)
    assert (
        round(audio.duration_s)
        == int(completed["CallDuration"])
        == int(completed["RecordingDuration"])
    )
    caller, callee = audio.channels
    assert _dbfs(caller) < -55.0  # the probe says nothing
    assert _dbfs(callee) > -35.0  # the agent speaks


@pytest.mark.parametrize(
    ("to", "verdict", "reasons", "repetitions"),
    [
        ("+861055550101", "pass", [], 3),
        ("+861055550102", "fail", ["too_few_repetitions", "hung_up_too_soon"], 1),
        ("+861055550103", "fail", ["pause_too_short"], 3),
        ("+861055550109", "pass", [], 3),  # neighbours' chatter 20 dB under the agent
    ],
)
async def test_analyser_judges_the_scenario(
    dialer: Dialer, to: str, verdict: str, reasons: list[str], repetitions: int
) -> None:
    wav, _ = await _wav(dialer, to)
    result = analyze_recording(wav, channel=1)
    assert (result.verdict, list(result.reasons)) == (verdict, reasons)
    assert len(result.utterances) == repetitions


async def test_pauses_match_the_scenario(dialer: Dialer) -> None:
    wav, _ = await _wav(dialer, "+861055550101")
    result = analyze_recording(wav, channel=1)
    assert result.pauses_s == pytest.approx([5.0, 5.0], abs=0.25)
    assert result.final_wait_s == pytest.approx(5.0, abs=0.25)


async def test_media_is_mono_unless_two_channels_requested(dialer: Dialer) -> None:
    placed, _ = await dialer.call("+861055550102")
    sid = dialer.sink.for_call(placed.sid, "/webhooks/twilio/status")[-1].params["RecordingSid"]
    url = f"{dialer.sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}.wav"
    async with httpx.AsyncClient() as http:
        mono = await http.get(url, auth=(ACCOUNT_SID, AUTH_TOKEN))
        dual = await http.get(
            url, params={"RequestedChannels": "2"}, auth=(ACCOUNT_SID, AUTH_TOKEN)
        )
        anonymous = await http.get(url, params={"RequestedChannels": "2"})
    assert mono.headers["content-type"] == "audio/x-wav"
    assert read_wav(mono.content).n_channels == 1
    assert read_wav(dual.content).n_channels == 2
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == 20003


async def test_dtmf_reaches_the_agent_behind_an_ivr(dialer: Dialer) -> None:
    wav, completed = await _wav(dialer, "+861055550111", dtmf="w0")
    caller = read_wav(wav).channels[0]
    key = caller[int(0.5 * 8000) : int(0.75 * 8000)]  # "w" = 0.5 s, then the 0 key
    assert _dbfs(key) > -30.0
    said = [
        r.params.get("TranscriptionData", "")
        for r in dialer.sink.for_call(completed["CallSid"], "/webhooks/twilio/transcription")
    ]
    assert any("欢迎您的来电" in s for s in said)

    placed, _ = await dialer.call("+861055550111")  # no key pressed: the IVR keeps the call
    said = [
        r.params.get("TranscriptionData", "")
        for r in dialer.sink.for_call(placed.sid, "/webhooks/twilio/transcription")
    ]
    assert any("人工服务请按零" in s for s in said)
    assert not any("欢迎您的来电" in s for s in said)
