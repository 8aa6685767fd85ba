"""Every webhook the simulator sends carries X-Twilio-Signature that the twilio SDK's own
RequestValidator accepts for the exact URL requested, and rejects once anything changes."""

from __future__ import annotations

from twilio.request_validator import RequestValidator
from twilio_support import AUTH_TOKEN, Dialer

from probes.twilio_sim import twilio_signature


async def test_every_callback_validates_with_the_sdk(dialer: Dialer) -> None:
    placed, _ = await dialer.call("+861055550101")
    received = dialer.sink.for_call(placed.sid)
    kinds = {r.path.split("?")[0] for r in received}
    assert kinds == {"/webhooks/twilio/status", "/webhooks/twilio/transcription"}
    validator = RequestValidator(AUTH_TOKEN)
    for r in received:
        url = dialer.sink.base_url + r.path  # exact URL, port and query included
        assert validator.validate(url, r.params, r.headers["X-Twilio-Signature"]), r.path


async def test_signature_breaks_when_anything_changes(dialer: Dialer) -> None:
    placed, _ = await dialer.call("+861055550102")
    r = dialer.sink.for_call(placed.sid, "/webhooks/twilio/status")[-1]
    url = dialer.sink.base_url + r.path
    sig = r.headers["X-Twilio-Signature"]
    validator = RequestValidator(AUTH_TOKEN)
    assert validator.validate(url, r.params, sig)
    assert not RequestValidator("0" * 32).validate(url, r.params, sig)
    assert not validator.validate(url.replace("probe=7", "probe=8"), r.params, sig)
    assert not validator.validate(url.replace("127.0.0.1", "localhost"), r.params, sig)
    tampered = dict(r.params, CallStatus="busy")
    assert not validator.validate(url, tampered, sig)


def test_signing_matches_the_sdk_on_unicode_and_ordering() -> None:
    params = {"b": "二", "A": "x", "a": "您好,请问有什么可以帮您?", "TranscriptionData": '{"k": 1}'}
    url = "https://audit.example.cn:8443/webhooks/twilio/transcription?x=1"
    ours = twilio_signature(AUTH_TOKEN, url, params)
    assert ours == RequestValidator(AUTH_TOKEN).compute_signature(url, params)
