"""The seam between campaigns and the probing domain (issue 4): start a probe run for a
campaign run, read its result, and reconcile it from the provider after a crash.

Campaigns never talk to Twilio themselves: the probing domain places the call, receives the
signed webhooks, fetches the recording and computes the measures. Campaigns read the
finished ``ProbeRun`` and keep the few figures the statistics need.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from audit.domain.probing.tables import FINAL, ProbeEvent, ProbeRun

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


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _measure(measures: dict[str, Any], dotted: str) -> Any:
    if dotted in measures:
        return measures[dotted]
    node: Any = measures
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def result_from_row(row: dict[str, Any]) -> ProbeResult | None:
    """A finished probe run as a campaign result; None while it is still going on."""
    status = row["status"]
    if status not in FINAL:
        return None
    if row.get("kind") == "chat" and status not in ("probe_error", "canceled"):
        return _chat_result(row)
    if status in ("probe_error", "canceled"):
        return ProbeResult.failure(
            row.get("error_reason") or f"probe run {row['id']} {status}",
            code=row.get("error_code"),
            permanent=bool(row.get("error_permanent")),
        )
    outcome = row.get("outcome")
    if outcome not in ATTEMPT_OUTCOMES:
        # The call never reached the operator (Twilio "failed"/"canceled"): a probe failure.
        return ProbeResult.failure(
            row.get("error_reason") or f"call {outcome or 'ended without an outcome'}",
            code=row.get("error_code"),
            permanent=bool(row.get("error_permanent")),
        )
    measures = _json(row.get("measures")) or {}
    rang = bool(row.get("rang")) or outcome == "answered"
    answer_s = _measure(measures, "answer_seconds")
    silent = _measure(measures, "silent_call.verdict")
    if _measure(measures, "silent_call.inconclusive") is True:
        silent = INCONCLUSIVE
    greeting = _measure(measures, "greeting.verdict")
    return ProbeResult(
        outcome=outcome,
        answer_seconds=float(answer_s) if answer_s is not None else None,
        rang=rang,
        silent_call_verdict=silent if silent in ("pass", "fail", INCONCLUSIVE) else None,
        greeting_verdict=greeting if greeting in ("pass", "fail") else None,
        started_at=row.get("started_at"),
        probe_run_id=int(row["id"]),
    )


def _chat_result(row: dict[str, Any]) -> ProbeResult:
    """A chat as an attempt: answered when the agent replied (time to answer = first response),
    no_answer when it never did; a chat page that could not be reached or opened is the
    operator's failure too (a finding, issue 5), counted as no_answer that never "rang"."""
    measures = _json(row.get("measures")) or {}
    first = measures.get("first_response_seconds")
    greeting = measures.get("greeting_ok")
    reached = row.get("outcome") == "completed"
    return ProbeResult(
        outcome="answered" if first is not None else "no_answer",
        answer_seconds=float(first) if first is not None else None,
        rang=reached,
        greeting_verdict=None if greeting is None else ("pass" if greeting else "fail"),
        started_at=row.get("started_at"),
        probe_run_id=int(row["id"]),
    )


_COLUMNS = (
    ProbeRun.id,
    ProbeRun.kind,
    ProbeRun.status,
    ProbeRun.outcome,
    ProbeRun.measures,
    ProbeRun.error_code,
    ProbeRun.error_reason,
    ProbeRun.error_permanent,
    ProbeRun.started_at,
)


async def result_of(probe_run_id: int) -> ProbeResult | None:
    row = await ProbeRun.select(*_COLUMNS).where(ProbeRun.id == probe_run_id).first().run()
    if row is None:
        return ProbeResult.failure(f"probe run {probe_run_id} vanished", code=None, permanent=False)
    if row["status"] in FINAL:
        # Abandonment needs to know whether the operator's line rang at all.
        row["rang"] = await ProbeEvent.exists().where(
            (ProbeEvent.run == probe_run_id)
            & (ProbeEvent.kind == "status")
            & (ProbeEvent.name == "ringing")
        )
    return result_from_row(row)


async def find_for_campaign_run(campaign_run_id: int) -> int | None:
    """The newest probe run started for this campaign run (a worker may have died before it
    could note the id)."""
    row = (
        await ProbeRun.select(ProbeRun.id)
        .where(ProbeRun.campaign_run_id == campaign_run_id)
        .order_by(ProbeRun.id, ascending=False)
        .first()
        .run()
    )
    return None if row is None else int(row["id"])


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
    from audit.context import SYSTEM
    from audit.domain.probing import services as probing
    from audit.domain.probing.schemas import StartVoiceRun
    from audit.errors import Conflict, DomainError

    if campaign["probe_kind"] == "chat_script":
        return await _start_chat(campaign, target, campaign_run_id)
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
    from audit.context import SYSTEM
    from audit.domain.probing.chat import start_chat_run
    from audit.errors import DomainError

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


async def reconcile(probe_run_id: int) -> ProbeResult | None:
    """Ask the provider about a run our records show as dialing/in call; settle it if ended."""
    from audit.context import SYSTEM
    from audit.domain.probing import chat
    from audit.domain.probing import services as probing

    kind = await ProbeRun.select(ProbeRun.kind).where(ProbeRun.id == probe_run_id).first()
    if kind is not None and kind["kind"] == "chat":
        # No provider to ask: a chat is either still running in this process, or it died
        # with the process that ran it.
        if chat.running_here(probe_run_id):
            return None
        await chat.interrupted(probe_run_id)
        return await result_of(probe_run_id)

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
