"""Chat probe runs: start one against a web_chat / chat_api venue (``execute_chat_run`` drives
probes.channels.web_chat.browser or probes.channels.chat_api.client, keeps screenshots as evidence, scores the transcript and
hands results to the inspection's items), take in signed webhooks. Scoring a posted transcript
is chat_transcripts.py.

Outcomes (probes.chat.result): ``completed`` runs are scored (an agent who never answered is
a finding); ``target_unreachable`` ends the run ``completed`` with that outcome and no measures
(not scored); ``probe_error`` ends it ``probe_error`` with the reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import structlog

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.probing.access import check_readable, load_run
from audit.domain.probing.tables import FINAL, ProbeEvent, ProbeRun
from audit.errors import DomainError, Forbidden, NotFound
from audit.settings import get_settings
from checklists.schema import Checklist
from probes.analysis.chat_scoring import DEFAULT_CHECKLIST_ID, find_checklist, score_chat
from probes.channels.chat_api.client import ChatApiProfile, load_api_profile, run_api_chat
from probes.channels.chat_api.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    verify,
)
from probes.channels.chat_api.webhook import AgentMessage, WebhookInbox, parse_webhook_body
from probes.channels.web_chat.browser import run_web_chat
from probes.chat.profile import (
    CustomerScript,
    ProfileError,
    TargetProfile,
    load_profile,
    load_script,
    shipped_scripts,
)
from probes.chat.result import ChatProbeResult

log = structlog.get_logger("audit.probing.chat")
PROBE_ACTOR = Actor(id=None, name="chat-probe", role="system")
CHAT_VENUE_KINDS = ("web_chat", "chat_api")
DEFAULT_SCRIPT = "ask-tariff"
_TASKS: dict[int, asyncio.Task[None]] = {}  # run id → its probe, running in this process
_LIVE_INBOXES: dict[int, WebhookInbox] = {}  # run id → the running API probe's inbox


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def venue_row(venue_id: int) -> dict[str, Any]:
    from audit.domain.operators.tables import Venue

    row = await Venue.select().where(Venue._meta.primary_key == venue_id).first()
    if row is None:
        raise NotFound(f"venue {venue_id} not found", field="venue_id")
    for key in ("profile", "urls", "phones"):
        row[key] = _json(row.get(key))
    return row


def venue_profile(venue: dict[str, Any]) -> TargetProfile | ChatApiProfile:
    """The venue's chat target profile (``Venue.profile``), validated."""
    if venue["kind"] not in CHAT_VENUE_KINDS:
        raise DomainError(
            f"venue {venue['id']} is a {venue['kind']}, not a web_chat or chat_api venue",
            field="venue_id",
        )
    data = dict(venue.get("profile") or {})
    data.setdefault("name", venue["name"])
    if venue["kind"] == "web_chat" and "url" not in data and venue.get("urls"):
        data["url"] = venue["urls"][0]
    try:
        if venue["kind"] == "web_chat":
            return load_profile(data)
        return load_api_profile(data)
    except ProfileError as exc:
        raise DomainError(f"venue {venue['id']} profile: {exc}", field="profile") from exc


def resolve_script(script: dict[str, Any] | None, script_id: str | None) -> CustomerScript:
    if script is not None:
        try:
            return load_script(script)
        except ProfileError as exc:
            raise DomainError(str(exc), field="script") from exc
    scripts = shipped_scripts()
    name = script_id or DEFAULT_SCRIPT
    if name not in scripts:
        raise DomainError(f"no customer script {name!r}; known: {sorted(scripts)}", "script_id")
    return scripts[name]


async def _checklist_for(inspection_id: int | None) -> Checklist:
    if inspection_id is not None:
        from audit.domain.inspections.access import load_inspection
        from audit.domain.plans.checklist_versions import pinned_checklist

        inspection = await load_inspection(inspection_id)
        return await pinned_checklist(inspection["checklist_version_id"])
    return find_checklist(DEFAULT_CHECKLIST_ID)


async def start_chat_run(
    actor: Actor,
    *,
    venue_id: int | None = None,
    inspection_id: int | None = None,
    plan_id: int | None = None,
    script: dict[str, Any] | None = None,
    script_id: str | None = None,
    wait: bool = False,
    campaign_run_id: int | None = None,
) -> dict[str, Any]:
    """Create a chat run for a web_chat/chat_api venue and run it (awaited when ``wait``)."""
    from audit.domain.plans.access import get_plan

    if actor.is_operator:
        raise NotFound("no such venue", field="venue_id")
    if inspection_id is not None:
        from audit.domain.inspections.access import get_writable

        inspection = await get_writable(inspection_id, actor)
        venue_id, plan_id = inspection["venue_id"], inspection["plan_id"]
    if venue_id is None:
        raise DomainError("give venue_id or inspection_id", field="venue_id")
    venue = await venue_row(venue_id)
    profile = venue_profile(venue)
    customer_script = resolve_script(script, script_id)
    plan = await get_plan(plan_id, actor) if plan_id is not None else None
    target = profile.url if isinstance(profile, TargetProfile) else profile.base_url
    params = {
        "channel": venue["kind"],
        "script": customer_script.model_dump(mode="json"),
        "sessions_per_day": venue.get("sessions_per_day"),
    }
    async with engine().transaction():
        rows = await ProbeRun.insert(
            ProbeRun(
                kind="chat",
                status="dialing",
                venue=venue_id,
                operator=venue["operator"],
                plan=plan_id,
                inspection=inspection_id,
                campaign_run_id=campaign_run_id,
                target=target[:500],
                covert=bool(plan and plan["method"] == "covert"),
                provider="browser" if venue["kind"] == "web_chat" else "http",
                params=params,
                created_by=actor.id,
                created_at=_now(),
                started_at=_now(),
                updated_at=_now(),
            )
        ).returning(ProbeRun.id)
        run_id = int(rows[0]["id"])
        await record(actor, "probe_run.create", "probe_run", run_id, None, {"target": target})
    if wait:
        await execute_chat_run(run_id)
    else:
        task = asyncio.get_running_loop().create_task(execute_chat_run(run_id))
        _TASKS[run_id] = task
        task.add_done_callback(lambda _: _TASKS.pop(run_id, None))
    return await load_run(run_id)


def running_here(run_id: int) -> bool:
    """Whether this process is running the chat probe of ``run_id`` right now."""
    return run_id in _TASKS


async def interrupted(run_id: int) -> None:
    """End a chat run whose probe stopped with its process (a browser session cannot be
    resumed): ``probe_error``, our side, so campaigns retry it."""
    reason = "the chat probe stopped with its worker process"
    await _finish(run_id, "probe_error", "probe_error", reason, None, {}, [], unfinished_only=True)


async def execute_chat_run(run_id: int) -> None:
    """Run the probe of a created chat run and store what it saw (the job's body)."""
    run = await load_run(run_id)
    venue = await venue_row(run["venue_id"])
    profile = venue_profile(venue)
    script = load_script(run["params"]["script"])
    folder = Path(tempfile.mkdtemp(prefix=f"chat-run-{run_id}-"))
    try:
        if isinstance(profile, TargetProfile):
            result = await run_web_chat(profile, script, folder)
        elif profile.mode == "webhook":
            assert profile.webhook_secret is not None
            inbox = WebhookInbox(profile.webhook_secret)
            _LIVE_INBOXES[run_id] = inbox
            base = get_settings().public_base_url.rstrip("/")
            try:
                result = await run_api_chat(
                    profile, script, inbox=inbox, callback_url=f"{base}/webhooks/chat/{run_id}"
                )
            finally:
                _LIVE_INBOXES.pop(run_id, None)
        else:
            result = await run_api_chat(profile, script)
        evidence_ids = await _keep_screenshots(result, run_id)
    except Exception as exc:  # our side broke: record it rather than leave the run hanging
        log.exception("chat probe failed", run=run_id)
        await _finish(
            run_id, "probe_error", "probe_error", f"{type(exc).__name__}: {exc}", None, {}, []
        )
        return
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    await _store_result(run, result, evidence_ids)


async def _keep_screenshots(result: ChatProbeResult, run_id: int) -> list[int]:
    from audit.domain.evidence.services import store_evidence

    ids: list[int] = []
    for shot in result.screenshots:
        data = Path(shot.path).read_bytes()
        row = await store_evidence(
            data, "screenshot", f"chat-run-{run_id}-{shot.label}.png", PROBE_ACTOR
        )
        ids.append(int(row["id"]))
    return ids


async def _store_result(
    run: dict[str, Any], result: ChatProbeResult, evidence_ids: list[int]
) -> None:
    observations: dict[str, Any] = {
        "transcript": result.transcript.to_json(),
        "warnings": result.warnings,
        "screenshots": [
            {"label": s.label, "sha256": s.sha256, "evidence_id": i}
            for s, i in zip(result.screenshots, evidence_ids, strict=False)
        ],
    }
    measures: dict[str, Any] | None = None
    if result.outcome == "completed":
        checklist = await _checklist_for(run["inspection_id"])
        scored, analysis = score_chat(
            result.transcript, checklist, sessions_per_day=run["params"].get("sessions_per_day")
        )
        measures = scored["measures"]
        observations.update(
            details=analysis.details(), items=scored["items"], verdict=scored["verdict"]
        )
    status = "probe_error" if result.outcome == "probe_error" else "completed"
    await _finish(
        run["id"], status, result.outcome, result.reason, measures, observations, evidence_ids
    )
    if measures is not None and run["inspection_id"] is not None:
        await _hand_to_items(
            run["id"], run["inspection_id"], observations["items"], measures, evidence_ids
        )


async def _finish(
    run_id: int,
    status: str,
    outcome: str,
    reason: str | None,
    measures: dict[str, Any] | None,
    observations: dict[str, Any],
    evidence_ids: list[int],
    *,
    unfinished_only: bool = False,
) -> None:
    """Store how the run ended, logged; ``unfinished_only`` leaves an ended run alone."""
    where: Any = ProbeRun.id == run_id
    if unfinished_only:
        where = where & ProbeRun.status.not_in(list(FINAL))
    async with engine().transaction():
        moved = (
            await ProbeRun.update(
                {
                    ProbeRun.status: status,
                    ProbeRun.outcome: outcome,
                    ProbeRun.measures: measures,
                    ProbeRun.observations: observations,
                    ProbeRun.evidence_ids: evidence_ids,
                    ProbeRun.error_reason: reason[:2000] if reason else None,
                    ProbeRun.ended_at: _now(),
                    ProbeRun.updated_at: _now(),
                }
            )
            .where(where)
            .returning(ProbeRun.id)
        )
        if moved:
            after = {"status": status, "outcome": outcome, "reason": reason}
            await record(PROBE_ACTOR, "probe_run.finish", "probe_run", run_id, None, after)


async def _hand_to_items(
    run_id: int, inspection_id: int, items: list[dict[str, Any]], measures: dict[str, Any],
    evidence_ids: list[int],
) -> None:  # fmt: skip
    from audit.domain.inspections.services import record_item_result

    results: list[dict[str, Any]] = []
    for item in items:
        try:
            row = await record_item_result(
                inspection_id, item["id"], item["result"], measures, evidence_ids, PROBE_ACTOR,
                note=f"chat probe run {run_id}: {item['reason']}",
            )  # fmt: skip
            results.append({"item_id": item["id"], "result": row["result"]})
        except DomainError as exc:
            results.append({"item_id": item["id"], "error": exc.message})
    await ProbeRun.update({ProbeRun.item_results: results}).where(ProbeRun.id == run_id)


async def receive_chat_webhook(
    run_id: int, body: bytes, headers: dict[str, str]
) -> tuple[int, str]:
    """A signed agent message for a chat-API run: (HTTP status, detail).

    The signature is checked with the run's venue secret; a message id already stored is
    acknowledged and ignored (``ProbeEvent.dedupe_key`` is unique, so this holds across
    workers). New messages reach the running probe, if it runs in this process.
    """
    received = _now()
    run = (
        await ProbeRun.select(ProbeRun.id, ProbeRun.kind, ProbeRun.venue.as_alias("venue_id"))
        .where(ProbeRun.id == run_id)
        .first()
    )
    if run is None or run["kind"] != "chat" or run["venue_id"] is None:
        raise NotFound(f"chat run {run_id} not found")
    profile = venue_profile(await venue_row(run["venue_id"]))
    if not isinstance(profile, ChatApiProfile) or not profile.webhook_secret:
        raise NotFound(f"chat run {run_id} takes no webhooks")
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        verify(profile.webhook_secret, body, lower.get(TIMESTAMP_HEADER.lower()),
               lower.get(SIGNATURE_HEADER.lower()))  # fmt: skip
    except SignatureError as exc:
        log.warning("chat webhook rejected", run=run_id, reason=str(exc))
        raise Forbidden(f"webhook rejected: {exc}") from exc
    try:
        data = parse_webhook_body(body)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    key = f"chat:{run_id}:{data['session_id']}:{data['message_id']}"[:200]
    if await ProbeEvent.exists().where(ProbeEvent.dedupe_key == key):
        return 200, "duplicate ignored"
    try:
        await ProbeEvent.insert(
            ProbeEvent(run=run_id, dedupe_key=key, kind="chat", name="message",
                       at=received, params=data, received_at=received)
        )  # fmt: skip
    except Exception:  # a concurrent twin won the unique dedupe_key: still a duplicate
        if await ProbeEvent.exists().where(ProbeEvent.dedupe_key == key):
            return 200, "duplicate ignored"
        raise
    inbox = _LIVE_INBOXES.get(run_id)
    if inbox is not None and inbox.listener is not None:
        inbox.listener(AgentMessage(data["session_id"], data["message_id"], data["text"],
                                    received, data.get("at")))  # fmt: skip
    return 202, "accepted"


async def get_chat_run(run_id: int, actor: Actor) -> dict[str, Any]:
    run = await load_run(run_id)
    await check_readable(run, actor)
    if run["kind"] != "chat":
        raise NotFound(f"chat run {run_id} not found")
    return run
