"""Voice channel adapter: place a silent probe call through Twilio and fetch its recording.

Uses the real twilio SDK (async). Pointed at the local simulator by overriding the API base
URL, at Twilio itself by leaving it unset — the same code path either way. The call's TwiML
optionally sends DTMF to get past an IVR, starts real-time transcription of the callee's
track (``inbound_track`` on an outbound-api call), then stays silent and hangs up:
``<Response><Start><Transcription …/></Start><Play digits="…"/><Pause length="N"/><Hangup/></Response>``.
The recording is dual-channel (1 = our silent line, 2 = the operator's agent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client
from twilio.twiml.voice_response import Start, VoiceResponse

from probes.channels.twilio_shared import (
    PERMANENT_CODES,
    TRANSIENT_CODES,
    AsyncHttpClient,
    ProbeCallError,
    TwilioAccount,
    classify,
    media_error,
    sdk_client,
)

__all__ = [
    "PERMANENT_CODES",
    "TRANSIENT_CODES",
    "PlacedCall",
    "ProbeCallError",
    "ProbeCallRequest",
    "TwilioAccount",
    "VoiceChannel",
    "classify",
    "probe_twiml",
]
STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"]
MAX_RECORDING_BYTES = 64 * 1024 * 1024
_SID = {"CA": re.compile(r"^CA[0-9a-fA-F]{32}$"), "RE": re.compile(r"^RE[0-9a-fA-F]{32}$")}


@dataclass(frozen=True)
class ProbeCallRequest:
    to: str
    from_: str
    status_callback_url: str
    transcription_callback_url: str | None = None
    recording_status_callback_url: str | None = None
    listen_s: int = 40  # how long our silent side stays on the line after answer
    dtmf: str | None = None  # keys to send after answer, e.g. "w0" (w = half-second pause)
    language: str = "zh-CN"
    ring_timeout_s: int = 60
    time_limit_s: int | None = None  # default: listen_s + 30


@dataclass(frozen=True)
class PlacedCall:
    sid: str
    status: str
    to: str
    from_: str
    raw: dict[str, Any] = field(default_factory=dict)


def probe_twiml(
    listen_s: int,
    *,
    dtmf: str | None = None,
    transcription_url: str | None = None,
    language: str = "zh-CN",
) -> str:
    """TwiML of a silent probe: transcribe the callee, send DTMF, stay silent, hang up."""
    if not 1 <= listen_s <= 14400:
        raise ValueError("listen_s must be between 1 and 14400 seconds")
    response = VoiceResponse()
    if transcription_url:
        start = Start()
        start.transcription(
            status_callback_url=transcription_url,
            language_code=language,
            track="inbound_track",
            partial_results=False,
        )
        response.append(start)
    if dtmf:
        if not re.fullmatch(r"[0-9*#wW]{1,32}", dtmf):
            raise ValueError(f"dtmf {dtmf!r}: only 0-9, *, #, w and W are allowed")
        response.play(digits=dtmf)
    response.pause(length=listen_s)
    response.hangup()
    return str(response)


class VoiceChannel:
    """Async Twilio voice client for probe calls. Use as ``async with VoiceChannel(acct) as v``."""

    def __init__(
        self,
        account: TwilioAccount,
        *,
        timeout_s: float = 30.0,
        max_recording_bytes: int = MAX_RECORDING_BYTES,
    ) -> None:
        self.account = account
        self.timeout_s = timeout_s
        self.max_recording_bytes = max_recording_bytes
        self._http: AsyncHttpClient | None = None
        self._client: Client | None = None
        self._media: httpx.AsyncClient | None = None

    async def __aenter__(self) -> VoiceChannel:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _sdk(self) -> Client:
        # Created lazily inside the running loop: aiohttp sessions belong to a loop.
        if self._client is None:
            self._client, self._http = sdk_client(self.account, self.timeout_s)
        return self._client

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None
            self._client = None
        if self._media is not None:
            await self._media.aclose()
            self._media = None

    async def place_call(self, req: ProbeCallRequest) -> PlacedCall:
        """Create the call; raise :class:`ProbeCallError` (permanent or transient) on failure."""
        twiml = probe_twiml(
            req.listen_s,
            dtmf=req.dtmf,
            transcription_url=req.transcription_callback_url,
            language=req.language,
        )
        extra: dict[str, Any] = {}
        if req.recording_status_callback_url:
            extra["recording_status_callback"] = req.recording_status_callback_url
        try:
            call = await self._sdk().calls.create_async(
                to=req.to,
                from_=req.from_,
                twiml=twiml,
                record=True,
                recording_channels="dual",
                status_callback=req.status_callback_url,
                status_callback_event=STATUS_EVENTS,
                status_callback_method="POST",
                timeout=req.ring_timeout_s,
                time_limit=req.time_limit_s or req.listen_s + 30,
                **extra,
            )
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except (OSError, TimeoutError) as exc:  # aiohttp connection errors are OSErrors
            raise ProbeCallError(
                f"cannot reach Twilio: {exc}", code=None, http_status=None, permanent=False
            ) from exc
        return PlacedCall(call.sid or "", call.status or "", req.to, req.from_)

    async def fetch_call(self, call_sid: str) -> dict[str, Any]:
        """The call resource (status, duration, times) as the SDK reports it."""
        _check_sid("CA", call_sid)
        try:
            call = await self._sdk().calls(call_sid).fetch_async()
        except TwilioRestException as exc:
            raise classify(exc) from exc
        return {
            "sid": call.sid,
            "status": call.status,
            "duration": call.duration,
            "start_time": call.start_time,
            "end_time": call.end_time,
            "answered_by": call.answered_by,
        }

    async def recording_sids(self, call_sid: str) -> list[str]:
        _check_sid("CA", call_sid)
        try:
            recs = await self._sdk().calls(call_sid).recordings.list_async()
        except TwilioRestException as exc:
            raise classify(exc) from exc
        return [r.sid for r in recs if r.sid]

    async def fetch_recording_wav(self, recording_sid: str) -> bytes:
        """Download the dual-channel WAV: GET ``…/Recordings/{Sid}.wav?RequestedChannels=2``.

        The URL is built from our configured API base and the SID, never taken from a
        webhook, so credentials are only ever sent to the Twilio endpoint we configured.
        """
        _check_sid("RE", recording_sid)
        url = (
            f"{self.account.base_url}/2010-04-01/Accounts/{self.account.account_sid}"
            f"/Recordings/{recording_sid}.wav"
        )
        if self._media is None:
            self._media = httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=True)
        auth = (self.account.account_sid, self.account.auth_token)
        try:
            async with self._media.stream(
                "GET", url, params={"RequestedChannels": "2"}, auth=auth
            ) as response:
                if response.status_code != 200:
                    body = (await response.aread())[:2000]
                    raise media_error(response.status_code, body)
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_recording_bytes:
                        raise ProbeCallError(
                            f"recording {recording_sid} is larger than "
                            f"{self.max_recording_bytes} bytes (oversized)",
                            code=None,
                            http_status=200,
                            permanent=True,
                        )
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as exc:
            raise ProbeCallError(
                f"cannot download recording {recording_sid}: {exc}",
                code=None,
                http_status=None,
                permanent=False,
            ) from exc


def _check_sid(prefix: str, sid: str) -> None:
    if not _SID[prefix].match(sid):
        raise ValueError(f"{sid!r} is not a {prefix} SID ({prefix} + 32 hex digits)")
