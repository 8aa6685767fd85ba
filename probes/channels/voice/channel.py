"""The voice channel: a silent probe call through Twilio (or the local simulator).

Events are Twilio's status callbacks and real-time transcription callbacks; at the end the
dual-channel recording is downloaded, kept as evidence and analysed (silent-call protocol),
and the greeting is judged from the transcript. A corrupt, empty, wrong-format or oversized
recording ends the run ``analysis_failed`` with the reason; the answer measures, which need
no audio, are still kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from checklists.schema import Checklist
from probes.analysis.audio import AudioError
from probes.analysis.silent_call import analyze_recording
from probes.channels.base import (
    Attempt,
    Binding,
    ChannelError,
    Collected,
    Env,
    Event,
    Measured,
    Phase,
    Placed,
    Request,
    Run,
    Simulator,
    Venue,
    Webhook,
    measure,
)
from probes.channels.twilio_shared import TWILIO_SIMULATOR, twilio_params
from probes.channels.voice import events as ev
from probes.channels.voice.measures import VOICE_ROOTS, measures_for, observe
from probes.channels.voice.twilio import ProbeCallError, ProbeCallRequest, VoiceChannel

STATUS_PATH = "/webhooks/twilio/status"
TRANSCRIPTION_PATH = "/webhooks/twilio/transcription"
ATTEMPT_OUTCOMES = ("answered", "busy", "no_answer")


class VoiceProbe:
    name: str = "voice"
    run_kind: str = "voice"
    provider: str = "twilio"
    venue_kinds: tuple[str, ...] = ("hotline", "info_line", "business_hall", "agency_point")
    probe_kinds: tuple[str, ...] = ("voice_silent_call",)
    measure_roots: tuple[str, ...] = VOICE_ROOTS
    terminal_outcomes: tuple[str, ...] = ATTEMPT_OUTCOMES
    phase_kinds: tuple[str, ...] = ("status",)  # transcription events never move a live call on
    default_checklist: str | None = None
    unjudged: Literal["fail"] | None = None  # a busy line says nothing about the greeting
    scores_run: bool = False
    webhooks: tuple[Webhook, ...] = (
        Webhook(STATUS_PATH, "status"),
        Webhook(TRANSCRIPTION_PATH, "transcription"),
    )
    simulator: Simulator | None = TWILIO_SIMULATOR

    # -- before the call -------------------------------------------------------------------
    def target(self, venue: Venue) -> str | None:
        return venue.phones[0] if venue.phones else None

    def rate_key(self, venue: Venue | None, target: str) -> str:
        return target  # the number called: the operator's line is what must not be flooded

    def params(self, options: Mapping[str, Any], venue: Venue | None) -> dict[str, Any]:
        return {
            "listen_s": int(options.get("listen_s") or 40),
            "dtmf": options.get("dtmf"),
            "ring_seconds": float(options.get("ring_seconds") or 5.0),
            "company": options.get("company") or (venue.company if venue else None),
            "language": "zh-CN",
        }

    async def start(self, run: Run, env: Env) -> Placed:
        if not run.caller_id:
            raise ChannelError(
                "no caller id: give caller_id or set AUDIT_TWILIO_CALLER_IDS", "caller_id"
            )
        base = env.public_base_url.rstrip("/")
        request = ProbeCallRequest(
            to=run.target,
            from_=run.caller_id,
            status_callback_url=f"{base}{STATUS_PATH}?run={run.id}",
            transcription_callback_url=f"{base}{TRANSCRIPTION_PATH}?run={run.id}",
            listen_s=int(run.params.get("listen_s", 40)),
            dtmf=run.params.get("dtmf"),
        )
        async with VoiceChannel(env.account(self.provider)) as voice:
            placed = await voice.place_call(request)
        return Placed(placed.sid)

    # -- callbacks -------------------------------------------------------------------------
    def authenticate(
        self, hook: Webhook, request: Request, run: Run | None, env: Env
    ) -> dict[str, Any]:
        return twilio_params(request, env.account(self.provider))

    def read_event(self, kind: str, params: Mapping[str, Any]) -> Event:
        return ev.read_event(kind, params)

    def phase(self, names: set[str]) -> Phase:
        return ev.phase(names)

    def deliver(self, run_id: int, event: Event) -> None:
        return None

    def running(self, run_id: int) -> asyncio.Task[None] | None:
        return None  # the call lives at the provider, not in this process

    async def reconcile(self, run: Run, env: Env) -> list[tuple[str, dict[str, Any]]]:
        """Ask Twilio how the call went; ProbeError (permanent or not) when it cannot say."""
        if not run.provider_ref:
            return []
        async with VoiceChannel(env.account(self.provider)) as voice:
            call = await voice.fetch_call(run.provider_ref)
        return [("status", p) for p in ev.events_from_call_resource(run.provider_ref, call)]

    # -- the end ---------------------------------------------------------------------------
    async def collect(
        self,
        run: Run,
        events: Sequence[Event],
        env: Env,
        previous: Mapping[str, Any] | None,
        checklist: Checklist | None,
    ) -> Collected:
        """Download (once), keep and analyse the recording of an answered call."""
        rows = ev.as_dicts(events)
        answered = ev.answer(rows, float(run.params.get("ring_seconds", 5.0))).answered
        analysed: dict[str, Any] = {}
        evidence_ids: list[int] = []
        failure: str | None = None
        if previous and "recording" in previous:
            # Fetched by an earlier finish of this run: the recording does not change.
            analysed = {k: previous[k] for k in ("recording", "silent_call") if k in previous}
            if previous.get("analysis_failure"):
                failure = analysed["analysis_failure"] = str(previous["analysis_failure"])
            rec_id = previous["recording"].get("evidence_id")
            evidence_ids = [int(rec_id)] if rec_id else []
        elif answered and run.provider_ref:
            data, failure = await self._download(run.provider_ref, ev.recording_sid(rows), env)
            if data is not None:
                kept = await env.keep(data, "recording", f"{run.provider_ref}.wav")
                analysed["recording"] = kept.info
                if kept.evidence_id is not None:
                    evidence_ids.append(kept.evidence_id)
                try:
                    listen = run.params.get("listen_s")
                    result = await asyncio.to_thread(analyze_recording, data, listen_s=listen)
                except AudioError as exc:
                    failure = f"recording cannot be analysed: {exc}"
                    analysed["analysis_failure"] = failure
                else:
                    analysed["silent_call"] = {**result.to_json(), "duration_s": result.duration_s}
        observations = observe(rows, analysed, run.params)
        if failure:
            return Collected(observations, evidence_ids, "analysis_failed", failure)
        return Collected(observations, evidence_ids)

    async def _download(
        self, call_sid: str, recording_sid: str | None, env: Env
    ) -> tuple[bytes | None, str | None]:
        try:
            account = env.account(self.provider)
            async with VoiceChannel(account, max_recording_bytes=env.max_evidence_bytes) as voice:
                if recording_sid is None:
                    sids = await voice.recording_sids(call_sid)
                    if not sids:
                        return None, "the provider has no recording of the call"
                    recording_sid = sids[0]
                return await voice.fetch_recording_wav(recording_sid), None
        except ProbeCallError as exc:
            return None, f"recording download failed: {exc.reason}"

    def measures(
        self,
        observations: Mapping[str, Any],
        binding: Binding | None,
        checklist: Checklist | None = None,
    ) -> Measured | None:
        values = measures_for(observations, binding, checklist)
        if values is None:
            return None
        return Measured(values, dict(binding.params) if binding is not None else {})

    def outcome(self, observations: Mapping[str, Any]) -> str | None:
        return (observations.get("answer") or {}).get("outcome")

    def attempt(
        self, outcome: str | None, observations: Mapping[str, Any], measures: Mapping[str, Any]
    ) -> Attempt:
        if outcome not in ATTEMPT_OUTCOMES:
            # The call never reached the operator (Twilio "failed"/"canceled"): a probe failure.
            return Attempt(None, error=f"call {outcome or 'ended without an outcome'}")
        answer_s = measure(measures, "answer_seconds")
        silent = measure(measures, "silent_call.verdict")
        if measure(measures, "silent_call.inconclusive") is True:
            silent = "inconclusive"  # our listen ended inside the protocol: no verdict
        greeting = measure(measures, "greeting.verdict")
        call = observations.get("call") or {}
        return Attempt(
            outcome,
            answer_seconds=float(answer_s) if answer_s is not None else None,
            rang=bool(call.get("rang")) or outcome == "answered",
            silent_call_verdict=silent if silent in ("pass", "fail", "inconclusive") else None,
            greeting_verdict=greeting if greeting in ("pass", "fail") else None,
        )


CHANNEL = VoiceProbe()
