"""The webhooks a simulated call sends: status callbacks and real-time transcription events.

Parameters follow Twilio's documentation of the status callback request (CallSid, CallStatus,
CallbackSource, SequenceNumber, Timestamp in RFC 2822, CallDuration and the recording fields
on ``completed``) and of ``<Start><Transcription>`` callbacks (TranscriptionEvent,
TranscriptionData as JSON, Track, LanguageCode, SequenceId, Final). Every request is signed
with :func:`probes.twilio_sim.signing.twilio_signature`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from probes.twilio_sim.resources import API_VERSION, SimCall, SimRecording, new_sid, rfc2822
from probes.twilio_sim.twiml import Transcription

# A call's status in a status callback for each progress event (Twilio "Call Status Values").
_EVENT_STATUS = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress"}
_SIP = {"completed": "200", "busy": "486", "no-answer": "487", "failed": "404"}
CALLEE_TRACKS = ("inbound_track", "both_tracks")  # the callee's audio on an outbound-api call


@dataclass
class Callback:
    """One webhook request the simulator will make (or made)."""

    at_s: float  # simulated seconds from the call's creation
    url: str
    params: dict[str, str]
    kind: str  # "status" | "transcription" | "recording"
    event: str
    idempotency_token: str = field(default_factory=lambda: new_sid("").upper())
    # Filled in when sent:
    signature: str | None = None
    response_status: int | None = None
    error: str | None = None
    elapsed_s: float | None = None  # how long the app took to answer (benches)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _call_params(call: SimCall) -> dict[str, str]:
    return {
        "AccountSid": call.account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": call.sid,
        "Called": call.to,
        "Caller": call.from_,
        "Direction": "outbound-api",
        "From": call.from_,
        "To": call.to,
    }


def status_callbacks(
    call: SimCall,
    url: str,
    events: list[str],
    *,
    recording: SimRecording | None,
    recording_url: str | None,
    machine_detection: bool,
) -> list[Callback]:
    """The status callbacks for the progress events the app subscribed to, in time order."""
    plan = call.plan
    moments: list[tuple[str, float, str]] = [("initiated", 0.0, "initiated")]
    if plan.ringing_at is not None:
        moments.append(("ringing", plan.ringing_at, "ringing"))
    if plan.answered_at is not None:
        moments.append(("answered", plan.answered_at, "in-progress"))
    moments.append(("completed", plan.ended_at, plan.status))
    out: list[Callback] = []
    seq = 0
    for event, at, status in moments:
        if event not in events:
            continue
        params = _call_params(call)
        when = call.at(at)
        assert when is not None
        params.update(
            {
                "CallStatus": status,
                "CallbackSource": "call-progress-events",
                "SequenceNumber": str(seq),
                "Timestamp": rfc2822(when) or "",
            }
        )
        seq += 1
        if machine_detection and event in ("answered", "completed") and plan.answered_at:
            params["AnsweredBy"] = "human"
        if event == "completed":
            duration = round(plan.duration_s)
            params["CallDuration"] = str(duration)
            params["Duration"] = str(math.ceil(plan.duration_s / 60))
            params["SipResponseCode"] = _SIP.get(plan.status, "200")
            if recording is not None and recording_url is not None:
                params["RecordingUrl"] = recording_url
                params["RecordingSid"] = recording.sid
                params["RecordingDuration"] = str(round(recording.duration_s))
        out.append(Callback(at, url, params, "status", event))
    return out


def transcription_callbacks(call: SimCall, spec: Transcription) -> list[Callback]:
    """started / content (one per complete utterance on the callee track) / stopped."""
    plan = call.plan
    if plan.answered_at is None or spec.track not in CALLEE_TRACKS:
        return []
    answered = plan.answered_at
    sid = new_sid("GT")
    out: list[Callback] = []

    def make(at: float, event: str, extra: dict[str, str]) -> None:
        when = call.at(at)
        assert when is not None
        params = {
            "AccountSid": call.account_sid,
            "CallSid": call.sid,
            "TranscriptionSid": sid,
            "Timestamp": _iso(when),
            "SequenceId": str(len(out) + 1),
            "TranscriptionEvent": event,
            **extra,
        }
        out.append(Callback(at, spec.status_callback_url, params, "transcription", event))

    make(
        answered,
        "transcription-started",
        {
            "TranscriptionEngine": "google",
            "LanguageCode": spec.language_code,
            "PartialResults": "true" if spec.partial_results else "false",
            "Track": spec.track,
        },
    )
    for seg in plan.segments:
        if not seg.complete:
            continue
        data = {"transcript": seg.text, "confidence": 0.92}
        make(
            answered + seg.end_s + 0.3,
            "transcription-content",
            {
                "LanguageCode": spec.language_code,
                "Track": "inbound_track",
                "TranscriptionData": json.dumps(data, ensure_ascii=False),
                "Final": "true",
            },
        )
    make(plan.ended_at, "transcription-stopped", {})
    return out


def recording_status_callback(
    call: SimCall, rec: SimRecording, url: str, recording_url: str
) -> Callback:
    params = {
        "AccountSid": call.account_sid,
        "CallSid": call.sid,
        "RecordingSid": rec.sid,
        "RecordingUrl": recording_url,
        "RecordingStatus": "completed",
        "RecordingDuration": str(round(rec.duration_s)),
        "RecordingChannels": str(rec.channels),
        "RecordingSource": "OutboundAPI",
        "RecordingStartTime": rfc2822(rec.started) or "",
        "ErrorCode": "0",
    }
    return Callback(call.plan.ended_at + 0.5, url, params, "recording", "completed")
