"""What the two chat channels (``web_chat``: a browser; ``chat_api``: HTTP) share.

A chat probe runs in this process: ``start`` launches it as a task; when the chat is over
the task keeps its screenshots as evidence and reports one ``session:ended`` event (with the
transcript) through the app, as a provider's callback would. A chat whose process died is
ended by ``reconcile`` with ``session:interrupted`` (a browser session cannot be resumed).

Outcomes (``probes.chat.result``): ``completed`` runs are scored (an agent who never answered
is a finding); ``target_unreachable`` completes unscored; ``probe_error`` is our side.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from checklists.schema import Checklist
from probes.analysis.chat_scoring import analysis_for, rule_measures, rule_params
from probes.analysis.chat_transcript import TranscriptError, parse_transcript
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
)
from probes.chat.profile import CustomerScript, ProfileError, load_script, shipped_scripts
from probes.chat.result import ChatProbeResult

log = logging.getLogger("probes.chat")
DEFAULT_SCRIPT = "ask-tariff"
CHAT_ROOTS = (
    "first_response_seconds",
    "max_reply_seconds",
    "unapologised_long_waits",
    "forbidden_phrases",
    "taboos",
    "greeting_ok",
    "courtesy_ok",
    "closing_ok",
    "last_message_from",
)
INTERRUPTED = "the chat probe stopped with its worker process"
_TASKS: dict[int, asyncio.Task[None]] = {}  # run id → its chat, running in this process


def resolve_script(script: Mapping[str, Any] | None, script_id: str | None) -> CustomerScript:
    """A posted customer script, or a shipped one by id (default ``ask-tariff``)."""
    if script is not None:
        try:
            return load_script(dict(script))
        except ProfileError as exc:
            raise ChannelError(str(exc), field="script") from exc
    scripts = shipped_scripts()
    name: str = script_id or DEFAULT_SCRIPT
    if name not in scripts:
        raise ChannelError(f"no customer script {name!r}; known: {sorted(scripts)}", "script_id")
    return scripts[name]


def _now() -> datetime:
    return datetime.now(UTC)


class ChatProbe(ABC):
    run_kind: str = "chat"
    probe_kinds: tuple[str, ...] = ("chat_script",)
    measure_roots: tuple[str, ...] = CHAT_ROOTS
    terminal_outcomes: tuple[str, ...] = ("answered", "no_answer")
    phase_kinds: tuple[str, ...] = ("session",)
    default_checklist: str | None = "online-chat"
    # The chat is over: what its transcript cannot show did not happen.
    unjudged: Literal["fail"] | None = "fail"
    scores_run: bool = True  # its page and campaign statistics read the items' verdicts
    simulator: Simulator | None = None
    name: str
    provider: str
    venue_kinds: tuple[str, ...]
    webhooks: tuple[Webhook, ...] = ()

    @abstractmethod
    def profile(self, venue: Venue) -> Any:
        """The venue's chat target profile, validated (ChannelError naming ``profile``)."""

    @abstractmethod
    async def chat(
        self, run: Run, script: CustomerScript, folder: Path, env: Env
    ) -> ChatProbeResult: ...

    # -- before the chat -------------------------------------------------------------------
    def venue_data(self, venue: Venue) -> dict[str, Any]:
        data = dict(venue.profile or {})
        data.setdefault("name", venue.name)
        return data

    def profile_error(self, venue: Venue, exc: ProfileError) -> ChannelError:
        return ChannelError(f"venue {venue.id} profile: {exc}", field="profile")

    def rate_key(self, venue: Venue | None, target: str) -> str:
        return f"venue:{venue.id}" if venue is not None else target

    def params(self, options: Mapping[str, Any], venue: Venue | None) -> dict[str, Any]:
        script = resolve_script(options.get("script"), options.get("script_id"))
        return {
            "channel": self.name,
            "script": script.model_dump(mode="json"),
            "sessions_per_day": venue.sessions_per_day if venue else None,
        }

    async def start(self, run: Run, env: Env) -> Placed:
        task = asyncio.get_running_loop().create_task(self._drive(run, env))
        _TASKS[run.id] = task
        task.add_done_callback(lambda _: _TASKS.pop(run.id, None))
        return Placed(None)

    async def _drive(self, run: Run, env: Env) -> None:
        folder = Path(tempfile.mkdtemp(prefix=f"chat-run-{run.id}-"))
        try:
            result = await self.chat(run, load_script(dict(run.params["script"])), folder, env)
            shots = []
            for shot in result.screenshots:
                name = f"chat-run-{run.id}-{shot.label}.png"
                kept = await env.keep(Path(shot.path).read_bytes(), "screenshot", name)
                shots.append(
                    {"label": shot.label, "sha256": shot.sha256, "evidence_id": kept.evidence_id}
                )
            end = {
                "outcome": result.outcome,
                "reason": result.reason,
                "transcript": result.transcript.to_json(),
                "warnings": result.warnings,
                "screenshots": shots,
            }
        except Exception as exc:  # our side broke: report it rather than leave the run hanging
            log.exception("chat probe %s failed", run.id)
            end = {"outcome": "probe_error", "reason": f"{type(exc).__name__}: {exc}"}
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        await env.emit(run.id, "session", {"name": "ended", "at": _now().isoformat(), **end})

    # -- events ----------------------------------------------------------------------------
    def read_event(self, kind: str, params: Mapping[str, Any]) -> Event:
        name = str(params.get("name", ""))
        raw = params.get("at")
        try:
            at = datetime.fromisoformat(str(raw)) if raw else None
        except ValueError as exc:
            raise ChannelError(f"unreadable at: {exc}", field="at") from exc
        return Event(f"{kind}:{name}", kind, name, at, dict(params))

    def phase(self, names: set[str]) -> Phase:
        return "ended" if names & {"session:ended", "session:interrupted"} else "dialing"

    def authenticate(
        self, hook: Webhook, request: Request, run: Run | None, env: Env
    ) -> dict[str, Any]:
        raise ChannelError(f"{self.name} takes no webhooks")

    def deliver(self, run_id: int, event: Event) -> None:
        return None

    def running(self, run_id: int) -> asyncio.Task[None] | None:
        return _TASKS.get(run_id)

    async def reconcile(self, run: Run, env: Env) -> list[tuple[str, dict[str, Any]]]:
        """No provider to ask: a chat still runs in this process, or it died with another."""
        if self.running(run.id) is not None:
            return []
        at = _now().isoformat()
        end = {"name": "interrupted", "at": at, "outcome": "probe_error", "reason": INTERRUPTED}
        return [("session", end)]

    # -- the end ---------------------------------------------------------------------------
    async def collect(
        self,
        run: Run,
        events: Sequence[Event],
        env: Env,
        previous: Mapping[str, Any] | None,
        checklist: Checklist | None,
    ) -> Collected:
        ends = {e.name: e for e in events if e.kind == "session"}
        end = ends.get("ended") or ends.get("interrupted")  # the chat's own report wins
        p: Mapping[str, Any] = end.params if end is not None else {}
        outcome = str(p.get("outcome") or "probe_error")
        reason = p.get("reason")
        if outcome == "probe_error":
            return Collected({"outcome": outcome}, [], "probe_error", str(reason or INTERRUPTED))
        shots = list(p.get("screenshots") or [])
        observations: dict[str, Any] = {
            "outcome": outcome,
            "transcript": p.get("transcript") or {"messages": []},
            "warnings": list(p.get("warnings") or []),
            "screenshots": shots,
        }
        if outcome == "completed" and checklist is not None:
            try:
                transcript = parse_transcript(observations["transcript"])
            except TranscriptError as exc:
                return Collected(observations, [], "analysis_failed", f"transcript: {exc}")
            analysis = analysis_for(transcript, checklist)
            observations["details"] = analysis.details()
            observations["analysis"] = analysis.measures()
            observations["sessions_per_day"] = run.params.get("sessions_per_day")
            observations["taobao"] = bool(run.params.get("taobao"))
        ids = [int(s["evidence_id"]) for s in shots if s.get("evidence_id") is not None]
        return Collected(observations, ids, "completed", str(reason) if reason else None)

    def measures(
        self,
        observations: Mapping[str, Any],
        binding: Binding | None,
        checklist: Checklist | None = None,
    ) -> Measured | None:
        analysis = observations.get("analysis")
        if analysis is None or (binding is not None and binding.root not in CHAT_ROOTS):
            return None
        if binding is None:
            return Measured(dict(analysis), {})
        params = rule_params(
            binding.params, observations.get("sessions_per_day"), bool(observations.get("taobao"))
        )
        return Measured(rule_measures(analysis), params)

    def outcome(self, observations: Mapping[str, Any]) -> str | None:
        return observations.get("outcome")

    def attempt(
        self, outcome: str | None, observations: Mapping[str, Any], measures: Mapping[str, Any]
    ) -> Attempt:
        """A chat as an attempt: answered when the agent replied (time to answer = first
        response), no_answer when it never did; a chat page that could not be reached or
        opened is the operator's failure too (a finding), a no_answer that never "rang"."""
        first = measures.get("first_response_seconds")
        greeting = measures.get("greeting_ok")
        return Attempt(
            "answered" if first is not None else "no_answer",
            answer_seconds=float(first) if first is not None else None,
            rang=outcome == "completed",
            greeting_verdict=None if greeting is None else ("pass" if greeting else "fail"),
        )
