"""The simulator's state and the life of each call: plan, record, call back.

A call is planned when it is created (its whole timeline follows from the scenario), then a
task walks the timeline: it updates the call resource at each instant and sends the webhooks,
sleeping ``offset × time_scale`` real seconds, so a 40 s call can take 40 ms in tests while
every timestamp it reports is in simulated time. The recording is real-length audio.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from probes.twilio_sim import speech
from probes.twilio_sim.callbacks import (
    Callback,
    recording_status_callback,
    status_callbacks,
    transcription_callbacks,
)
from probes.twilio_sim.messaging import SimMessage
from probes.twilio_sim.resources import ApiError, SimCall, SimRecording, new_sid
from probes.twilio_sim.scenarios import E164, NumberScenario, ScenarioSet
from probes.twilio_sim.signing import SIGNATURE_HEADER, twilio_signature
from probes.twilio_sim.timeline import plan_call
from probes.twilio_sim.twiml import CallScript, TwimlError, parse_twiml

__all__ = ["ApiError", "Exchange", "Simulator", "SimulatorConfig"]
log = logging.getLogger("probes.twilio_sim")

_UNREACHABLE = NumberScenario(label="unknown number", outcome="failed")
_EVENTS = ("initiated", "ringing", "answered", "completed")


@dataclass
class SimulatorConfig:
    """How a simulator behaves. ``time_scale`` < 1 runs calls faster than real time."""

    account_sid: str
    auth_token: str
    scenarios: ScenarioSet
    time_scale: float = 1.0
    # Simulated wall clock at start (UTC); the clock then runs at real speed between calls.
    clock_start: datetime | None = None
    record_exchanges: bool = False
    media_requires_auth: bool = True
    callback_timeout_s: float = 30.0
    # Callbacks in flight at once (Twilio's own fan-out is effectively unbounded; a campaign
    # bench with hundreds of concurrent calls raises this).
    callback_connections: int = 100
    # Public base URL → where it really is, like DNS plus a reverse proxy in front of the app:
    # webhooks are signed for the public URL (as Twilio signs them) and delivered to the other.
    webhook_proxy: dict[str, str] = field(default_factory=dict)
    # Recordings kept in memory (about 1 MB a minute); the oldest go first, as with a
    # retention policy, so a long-running demo does not grow without bound.
    max_recordings: int = 200
    # Where replies to our text messages are sent (the inbound-message webhook configured on
    # our numbers, as in Twilio's console); None: replies are not delivered.
    sms_url: str | None = None


@dataclass
class Exchange:
    """One HTTP request the simulator answered (kept for the conformance walk)."""

    method: str
    path: str
    query: str
    request_body: bytes
    request_content_type: str
    status: int
    content_type: str
    body: bytes


@dataclass
class Simulator:
    config: SimulatorConfig
    base_url: str = ""
    calls: dict[str, SimCall] = field(default_factory=dict)
    recordings: dict[str, SimRecording] = field(default_factory=dict)
    messages: dict[str, SimMessage] = field(default_factory=dict)  # messaging.py
    callbacks: list[Callback] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    _rejections: dict[str, int] = field(default_factory=dict)
    _done: dict[str, threading.Event] = field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _real_start: float = field(default_factory=time.monotonic)
    _clock_start: datetime = field(default_factory=lambda: datetime.now(UTC))
    _http: httpx.AsyncClient | None = None

    def __post_init__(self) -> None:
        if self.config.clock_start is not None:
            self._clock_start = self.config.clock_start.astimezone(UTC)

    # -- clock ---------------------------------------------------------------------------
    def sim_now(self) -> datetime:
        return self._clock_start + timedelta(seconds=time.monotonic() - self._real_start)

    # -- requests ------------------------------------------------------------------------
    async def create_call(self, params: dict[str, list[str]]) -> SimCall:
        """Validate a create-call request, plan the call and start its life; or raise."""

        def one(name: str) -> str | None:
            values = params.get(name)
            return values[-1] if values else None

        to, from_ = one("To"), one("From")
        if not to:
            raise ApiError(21201)
        if not from_:
            raise ApiError(21213)
        if not E164.match(to):
            raise ApiError(21211, to=to)
        if not E164.match(from_):
            raise ApiError(21212, from_=from_)
        scenario = self.config.scenarios.for_number(to) or _UNREACHABLE
        if scenario.reject is not None:
            seen = self._rejections.get(to, 0)
            if scenario.reject.times is None or seen < scenario.reject.times:
                self._rejections[to] = seen + 1
                raise ApiError(scenario.reject.code, to=to)
        twiml = one("Twiml")
        if twiml is None:
            if one("Url") or one("ApplicationSid"):
                raise ApiError(20001, detail="the simulator executes inline Twiml only")
            raise ApiError(21205)
        try:
            script = parse_twiml(twiml)
        except TwimlError as exc:
            raise ApiError(12100, detail=str(exc)) from exc
        timeout = _int(one("Timeout"), 60, "Timeout", 1, 600)
        time_limit = _int(one("TimeLimit"), 14400, "TimeLimit", 1, 86400)
        texts = [u.text for u in scenario.utterances]
        prompt = scenario.ivr_prompt
        clips = await asyncio.to_thread(lambda: [speech.speak(t) for t in texts])
        prompt_s = speech.seconds_of(await asyncio.to_thread(speech.speak, prompt)) if prompt else 0
        plan = plan_call(
            scenario,
            ring_seconds=self.config.scenarios.ring_seconds_for(scenario),
            script=script,
            utterance_seconds=[speech.seconds_of(c) for c in clips],
            ivr_prompt_seconds=prompt_s,
            send_digits=one("SendDigits"),
            timeout_s=timeout,
            time_limit_s=time_limit,
        )
        # Whole simulated seconds: callback Timestamps (RFC 2822) carry no fractions.
        now = self.sim_now()
        created = now.replace(microsecond=0) + (timedelta(seconds=1) if now.microsecond else _0)
        call = SimCall(
            new_sid("CA"), self.config.account_sid, to, from_, created, plan,
            label=scenario.label, params=params,
        )  # fmt: skip
        self.calls[call.sid] = call
        self._done[call.sid] = threading.Event()
        task = asyncio.get_running_loop().create_task(self._live(call, scenario, script))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return call

    # -- a call's life -------------------------------------------------------------------
    async def _live(self, call: SimCall, scenario: NumberScenario, script: CallScript) -> None:
        try:
            await self._run(call, scenario, script)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("simulated call %s crashed", call.sid)
        finally:
            self._done[call.sid].set()

    async def _run(self, call: SimCall, scenario: NumberScenario, script: CallScript) -> None:
        params = call.params
        plan = call.plan
        recording: SimRecording | None = None
        record = (params.get("Record") or ["false"])[-1].lower() == "true"
        if record and plan.answered_at is not None:
            background = (
                (scenario.background.texts, scenario.background.level_db)
                if scenario.background
                else None
            )
            caller, callee = await asyncio.to_thread(
                speech.render_recording, plan, background=background, seed=int(call.sid[2:10], 16)
            )
            dual = (params.get("RecordingChannels") or ["mono"])[-1] == "dual"
            started = call.at(plan.answered_at)
            assert started is not None
            recording = SimRecording(
                sid=new_sid("RE"),
                call_sid=call.sid,
                account_sid=call.account_sid,
                started=started,
                duration_s=plan.duration_s,
                wav_dual=speech.wav_bytes(
                    [caller, callee] if dual else [speech.mixdown(caller, callee)]
                ),
                wav_mono=speech.wav_bytes([speech.mixdown(caller, callee)]),
                channels=2 if dual else 1,
            )
        if recording is not None and scenario.recording_fault is not None:
            recording.wav_dual = recording.wav_mono = _spoil_bytes(
                scenario.recording_fault, recording.wav_dual
            )
        recording_url = f"{self.base_url}{recording.base_uri()}" if recording else None

        sends: list[Callback] = []
        status_url = _last(params, "StatusCallback")
        if status_url:
            events = [e for e in params.get("StatusCallbackEvent", []) if e in _EVENTS]
            sends += status_callbacks(
                call,
                status_url,
                events or ["completed"],
                recording=recording,
                recording_url=recording_url,
                machine_detection=bool(params.get("MachineDetection")),
            )
        for spec in script.transcriptions:
            sends += transcription_callbacks(call, spec)
        rec_url = _last(params, "RecordingStatusCallback")
        if rec_url and recording is not None and recording_url is not None:
            sends.append(recording_status_callback(call, recording, rec_url, recording_url))
        sends.sort(key=lambda c: c.at_s)

        faults = scenario.callbacks
        held: list[Callback] = []
        changes = [(0.0, "queued")]
        if plan.ringing_at is not None:
            changes.append((plan.ringing_at, "ringing"))
        if plan.answered_at is not None:
            changes.append((plan.answered_at, "in-progress"))
        changes.append((plan.ended_at, plan.status))
        timeline: list[tuple[float, int, object]] = [(t, 0, s) for t, s in changes]
        timeline += [(c.at_s, 1, c) for c in sends]
        timeline.sort(key=lambda item: (item[0], item[1]))
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        for at, _, item in timeline:
            delay = t0 + at * self.config.time_scale - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if isinstance(item, str):
                call.status = item
                if item == plan.status and recording is not None:
                    call.recording = recording
                    self.recordings[recording.sid] = recording
                    while len(self.recordings) > self.config.max_recordings:
                        oldest = next(iter(self.recordings))
                        self.calls[self.recordings.pop(oldest).call_sid].recording = None
                continue
            assert isinstance(item, Callback)
            if faults.lost:
                continue
            if faults.order == "reversed" and item.kind == "status":
                held.append(item)
                continue
            await self._deliver(item, twice=faults.duplicate and item.kind == "status")
        for item in reversed(held):
            await self._deliver(item, twice=faults.duplicate)
        call.callbacks_done = True

    async def _deliver(self, cb: Callback, *, twice: bool = False) -> None:
        for _ in range(2 if twice else 1):
            await self._post(cb)

    async def _post(self, cb: Callback) -> None:
        if self._http is None:
            n = self.config.callback_connections
            self._http = httpx.AsyncClient(
                timeout=self.config.callback_timeout_s,
                limits=httpx.Limits(max_connections=n, max_keepalive_connections=min(n, 100)),
            )
        signature = twilio_signature(self.config.auth_token, cb.url, cb.params)
        sent = Callback(cb.at_s, cb.url, cb.params, cb.kind, cb.event, cb.idempotency_token)
        sent.signature = signature
        headers = {
            SIGNATURE_HEADER: signature,
            "I-Twilio-Idempotency-Token": cb.idempotency_token,
            "User-Agent": "TwilioProxy/1.1",
        }
        target = cb.url
        for public, real in self.config.webhook_proxy.items():
            if target.startswith(public):
                target = real + target[len(public) :]
                headers["X-Forwarded-Host"] = httpx.URL(public).host
                headers["X-Forwarded-Proto"] = httpx.URL(public).scheme
                break
        began = time.monotonic()
        try:
            response = await self._http.post(target, data=cb.params, headers=headers)
            sent.elapsed_s = time.monotonic() - began
            sent.response_status = response.status_code
            if response.status_code >= 400:
                # Twilio logs error 11200 (HTTP retrieval failure) and goes on with the call.
                log.warning("webhook %s answered %s", cb.url, response.status_code)
        except httpx.HTTPError as exc:
            sent.error = f"{type(exc).__name__}: {exc}"
            log.warning("webhook %s failed: %s", cb.url, sent.error)
        self.callbacks.append(sent)

    # -- helpers for tests and the embedding app -----------------------------------------
    def wait_call(self, sid: str, timeout: float = 30.0) -> SimCall:
        """Block (from any thread) until the call's life, callbacks included, is over."""
        if not self._done[sid].wait(timeout):
            raise TimeoutError(f"simulated call {sid} still running after {timeout} s")
        return self.calls[sid]

    def callbacks_for(self, sid: str) -> list[Callback]:
        return [c for c in self.callbacks if c.params.get("CallSid") == sid]

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._http is not None:
            await self._http.aclose()


_0 = timedelta(0)


def _spoil_bytes(fault: str, wav: bytes) -> bytes:
    """A recording as broken media servers sometimes deliver it (fault injection)."""
    if fault == "empty":
        return b""
    if fault == "garbage":
        return b"<html><body>502 Bad Gateway</body></html>\n" * 4
    # truncated: the header promises the whole call, the bytes stop after 1 KiB
    return wav[:1024]


def _last(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def _int(raw: str | None, default: int, name: str, low: int, high: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiError(20001, detail=f"{name} must be an integer") from exc
    if not low <= value <= high:
        raise ApiError(20001, detail=f"{name} must be between {low} and {high}")
    return value
