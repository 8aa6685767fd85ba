"""The seam between campaigns and the probing domain (issue 4): start a probe run for a
campaign run, read its result, and reconcile it from the provider after a crash.

Campaigns never talk to a provider themselves: the probing domain starts the probe, receives
the signed callbacks, fetches the evidence and computes the measures. Campaigns ask probing
for the finished run's result through its service (``probing.runs.result``: the channel's
attempt of the run) and keep the few figures the statistics need; they never read probing's
tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from audit.context import SYSTEM
from audit.domain.probing import access, runs
from audit.domain.probing import services as probing
from audit.domain.probing.chat import start_chat_run
from audit.domain.probing.runs import RunResult
from audit.domain.probing.schemas import StartVoiceRun
from audit.errors import Conflict, DomainError, NotFound
from probes.channels.registry import for_probe_kind

ATTEMPT_OUTCOMES = ("answered", "busy", "no_answer")
INCONCLUSIVE = "inconclusive"
# Longer than any create-call request can take (the voice channel's HTTP timeout is 30 s):
# a probe run still without a call SID after this was never placed.
PLACE_TIMEOUT_S = 90.0


def target_key(campaign: dict[str, Any], target: dict[str, Any]) -> str:
    """What the per-target cap and the minimum spacing apply to: the number called, or for a
    chat campaign the chat venue."""
    if campaign["probe_kind"] == "chat_script":
        return f"venue:{target['venue']}"
    return str(target["number"])


class ProbeStartError(Exception):
    """The probe could not be started; ``permanent`` ones are never retried."""

    def __init__(self, message: str, *, code: int | None, permanent: bool) -> None:
        super().__init__(message)
        self.code = code
        self.permanent = permanent


@dataclass(frozen=True)
class ProbeResult:
    outcome: str | None = None
    answer_seconds: float | None = None
    rang: bool | None = None
    silent_call_verdict: str | None = None
    greeting_verdict: str | None = None
    started_at: Any = None
    probe_run_id: int | None = None
    probe_error: bool = False
    error: str | None = None
    error_code: int | None = None
    permanent: bool = False

    @classmethod
    def failure(cls, error: str, *, code: int | None, permanent: bool) -> ProbeResult:
        return cls(probe_error=True, error=error, error_code=code, permanent=permanent)

    def as_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "outcome": self.outcome,
            "answer_seconds": self.answer_seconds,
            "rang": None if self.rang is None else ("true" if self.rang else "false"),
            "silent_call_verdict": self.silent_call_verdict,
            "greeting_verdict": self.greeting_verdict,
        }
        if self.started_at is not None:
            values["started_at"] = self.started_at
        if self.probe_run_id is not None:
            values["probe_run_id"] = self.probe_run_id
        return values


def _from(result: RunResult | None) -> ProbeResult | None:
    if result is None:
        return None
    a = result.attempt
    if a is None:
        return ProbeResult.failure(
            result.error or f"probe run {result.probe_run_id} failed",
            code=result.error_code,
            permanent=result.permanent,
        )
    return ProbeResult(
        outcome=a.outcome,
        answer_seconds=a.answer_seconds,
        rang=a.rang,
        silent_call_verdict=a.silent_call_verdict,
        greeting_verdict=a.greeting_verdict,
        started_at=result.started_at,
        probe_run_id=result.probe_run_id,
    )


def result_from_row(row: dict[str, Any]) -> ProbeResult | None:
    """A probe run (as probing stores it) as a campaign result; None while it goes on."""
    return _from(runs.result_of_row(row))


async def result_of(probe_run_id: int) -> ProbeResult | None:
    try:
        return _from(await runs.result(probe_run_id))
    except NotFound:
        return ProbeResult.failure(f"probe run {probe_run_id} vanished", code=None, permanent=False)


async def find_for_campaign_run(campaign_run_id: int) -> int | None:
    """The newest probe run started for this campaign run (a worker may have died before it
    could note the id)."""
    return await access.find_by_campaign_run(campaign_run_id)


async def start(
    *,
    campaign: dict[str, Any],
    target: dict[str, Any],
    caller_id: str,
    campaign_run_id: int,
) -> int:
    """Place the probe through the probing domain; returns the ProbeRun id.

    Provider errors do not raise: probing ends the run as ``probe_error`` (with Twilio's code
    and whether it is permanent), which :func:`result_of` turns into a retry or a failure.
    """

    if campaign["probe_kind"] == "chat_script":
        return await _start_chat(campaign, target, campaign_run_id)
    if campaign["probe_kind"] != "voice_silent_call":
        return await _start_channel(campaign, target, caller_id, campaign_run_id)
    request = StartVoiceRun(
        venue_id=target["venue"],
        plan_id=campaign["plan"],
        target=target["number"],
        caller_id=caller_id,
        company=target.get("company_name"),
        listen_s=int(campaign["listen_s"]),
        campaign_run_id=campaign_run_id,
    )
    try:
        run = await probing.start_voice_run(request, SYSTEM)
    except Conflict as exc:  # telephony not configured: may be fixed, retry later
        raise ProbeStartError(exc.message, code=None, permanent=False) from exc
    except DomainError as exc:
        raise ProbeStartError(exc.message, code=None, permanent=True) from exc
    return int(run["id"])


async def _start_chat(campaign: dict[str, Any], target: dict[str, Any], run_id: int) -> int:

    try:
        run = await start_chat_run(
            SYSTEM,
            venue_id=int(target["venue"]),
            plan_id=int(campaign["plan"]),
            script_id=campaign.get("script_id"),
            campaign_run_id=run_id,
        )
    except DomainError as exc:  # venue profile or script unusable: retrying will not help
        raise ProbeStartError(exc.message, code=None, permanent=True) from exc
    return int(run["id"])


async def _start_channel(
    campaign: dict[str, Any], target: dict[str, Any], caller_id: str, campaign_run_id: int
) -> int:
    """Any other channel of the registry serving the campaign's probe kind (e.g. SMS)."""
    (channel, *_) = for_probe_kind(str(campaign["probe_kind"]))
    try:
        run = await runs.start_run(
            channel.name,
            SYSTEM,
            venue_id=int(target["venue"]),
            plan_id=int(campaign["plan"]),
            target=str(target["number"]) or None,
            caller_id=caller_id,
            options={"listen_s": campaign["listen_s"], "company": target.get("company_name")},
            campaign_run_id=campaign_run_id,
        )
    except DomainError as exc:  # the venue cannot be probed this way: retrying will not help
        raise ProbeStartError(exc.message, code=None, permanent=True) from exc
    return int(run["id"])


async def reconcile(probe_run_id: int) -> ProbeResult | None:
    """Ask the provider about a run our records show as dialing/in call; settle it if ended."""

    # A chat has no provider to ask: its channel ends it (interrupted) unless it still runs
    # in this process.
    run = await probing.reconcile(probe_run_id, SYSTEM)
    created = run.get("created_at")
    age = (dt.datetime.now(dt.UTC) - created).total_seconds() if created else 0.0
    if run["status"] == "queued" and not run.get("provider_ref") and age > PLACE_TIMEOUT_S:
        # Created, but the worker died before the provider accepted the call (no call SID,
        # and no webhook ever named one): nothing reached the operator. Try again.
        return ProbeResult.failure(
            f"probe run {probe_run_id}: the call was never placed (worker stopped)",
            code=None,
            permanent=False,
        )
    return await result_of(probe_run_id)
