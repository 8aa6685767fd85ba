"""Real-time transcription: the probe's TwiML asks for zh-CN on the callee's track, and the
simulator posts what the agent said, utterance by utterance, in Twilio's callback shape."""

from __future__ import annotations

import json
from datetime import datetime

from twilio_support import Dialer

from probes.channels.voice.twilio import probe_twiml
from probes.twilio_sim import load_demo_scenarios


def test_probe_twiml_is_silent_and_transcribes_the_callee() -> None:
    twiml = probe_twiml(40, dtmf="w0", transcription_url="https://a.example/t", language="zh-CN")
    assert twiml == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Start><Transcription '
        'languageCode="zh-CN" partialResults="false" statusCallbackUrl="https://a.example/t" '
        'track="inbound_track" /></Start><Play digits="w0" /><Pause length="40" /><Hangup />'
        "</Response>"
    )


async def test_transcripts_are_the_agents_words(dialer: Dialer) -> None:
    placed, _ = await dialer.call("+861055550105")
    posted = dialer.sink.for_call(placed.sid, "/webhooks/twilio/transcription")
    events = [r.params["TranscriptionEvent"] for r in posted]
    assert events[0] == "transcription-started" and events[-1] == "transcription-stopped"
    content = [
        r.params for r in posted if r.params["TranscriptionEvent"] == "transcription-content"
    ]
    said = [u.text for u in load_demo_scenarios().numbers["+861055550105"].utterances]
    assert [json.loads(p["TranscriptionData"])["transcript"] for p in content] == said
    assert {p["LanguageCode"] for p in content} == {"zh-CN"}
    assert {p["Track"] for p in content} == {"inbound_track"}
    assert {p["Final"] for p in content} == {"true"}
    assert [int(r.params["SequenceId"]) for r in posted] == list(range(1, len(posted) + 1))
    assert len({r.params["TranscriptionSid"] for r in posted}) == 1
    stamps = [datetime.fromisoformat(r.params["Timestamp"]) for r in posted]
    assert stamps == sorted(stamps)


async def test_no_transcription_when_not_answered(dialer: Dialer) -> None:
    placed, _ = await dialer.call("+861055550106")
    assert dialer.sink.for_call(placed.sid, "/webhooks/twilio/transcription") == []
