"""Finishing a voice run: recording → evidence → analysers → measures → inspection items.

A corrupt, empty, wrong-format or oversized recording ends the run ``analysis_failed`` with
the reason; whatever bytes arrived are kept (in the evidence store when it accepts them as a
recording, otherwise in a content-addressed quarantine folder beside it), and the answer
measures, which do not need audio, are still stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from typing import Any

import structlog

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.probing.access import load_run
from audit.domain.probing.tables import ProbeRun
from audit.domain.probing.telephony import current_account
from audit.errors import DomainError
from audit.settings import get_settings
from checklists.schema import Checklist
from probes.analysis.audio import AudioError
from probes.analysis.silent_call import analyze_recording
from probes.channels.base import Binding
from probes.channels.voice.events import (
    answer,
    events_from_call_resource,
    terminal_event,
)
from probes.channels.voice.measures import measures_for, observe, run_measures
from probes.channels.voice.twilio import ProbeCallError, VoiceChannel

__all__ = ["events_from_call_resource", "finish_voice_run", "refresh_measures"]

log = structlog.get_logger("audit.probing")
PROBE_ACTOR = Actor(id=None, name="probe", role="system")
_checklists: dict[int, Checklist] = {}


def _plain(value: Any) -> Any:
    """As stored: JSON round trip (datetimes become text, tuples lists)."""
    return json.loads(json.dumps(value, default=str))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _events(run_id: int) -> list[dict[str, Any]]:
    from audit.domain.probing.services import events_of

    return await events_of(run_id)


def _recording_sid(events: list[dict[str, Any]]) -> str | None:
    done = terminal_event(events)
    sid = (done or {}).get("params", {}).get("RecordingSid") if done else None
    return str(sid) if sid else None


async def _download(call_sid: str, recording_sid: str | None) -> tuple[bytes | None, str | None]:
    """(wav bytes, error reason)."""
    try:
        limit = get_settings().max_upload_bytes
        async with VoiceChannel(current_account(), max_recording_bytes=limit) as voice:
            if recording_sid is None:
                sids = await voice.recording_sids(call_sid)
                if not sids:
                    return None, "the provider has no recording of the call"
                recording_sid = sids[0]
            return await voice.fetch_recording_wav(recording_sid), None
    except ProbeCallError as exc:
        return None, f"recording download failed: {exc.reason}"


def _quarantine(data: bytes) -> dict[str, Any]:
    """Keep bytes the evidence store refuses (not a recording) for the record."""
    sha = hashlib.sha256(data).hexdigest()
    folder = get_settings().evidence_path.parent / "probe-quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / sha
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return {"sha256": sha, "size": len(data), "quarantine": str(path)}


async def _keep(data: bytes, name: str) -> tuple[int | None, dict[str, Any]]:
    from audit.domain.evidence.services import store_evidence

    try:
        row = await store_evidence(data, "recording", name, PROBE_ACTOR)
    except DomainError as exc:
        info: dict[str, Any] = _quarantine(data) if data else {"sha256": None, "size": 0}
        info["rejected"] = exc.message
        return None, info
    return int(row["id"]), {"sha256": row["sha256"], "size": row["size"], "evidence_id": row["id"]}


async def finish_voice_run(run_id: int) -> None:
    """Called once, by whoever moved the run to ``analysing``."""
    run = await load_run(run_id)
    events = await _events(run_id)
    ring_seconds = float(run["params"].get("ring_seconds", 5.0))
    ans = answer(events, ring_seconds)
    observations: dict[str, Any] = {"answer": ans.measures()}
    evidence_ids: list[int] = []
    failure: str | None = None
    if ans.answered:
        data, failure = await _download(run["provider_ref"], _recording_sid(events))
        if data is not None:
            evidence_id, observations["recording"] = await _keep(data, f"{run['provider_ref']}.wav")
            if evidence_id is not None:
                evidence_ids.append(evidence_id)
            try:
                listen = run["params"].get("listen_s")
                result = await asyncio.to_thread(analyze_recording, data, listen_s=listen)
            except AudioError as exc:
                failure = f"recording cannot be analysed: {exc}"
            else:
                observations["silent_call"] = {**result.to_json(), "duration_s": result.duration_s}
    observations = observe(events, observations, run["params"])
    measures = run_measures(events, observations, run["params"], await run_checklist(run))
    done = terminal_event(events)
    status = "analysis_failed" if failure else "completed"
    async with engine().transaction():
        await ProbeRun.update(
            {
                ProbeRun.status: status,
                ProbeRun.outcome: ans.outcome,
                ProbeRun.measures: measures,
                ProbeRun.observations: observations,
                ProbeRun.evidence_ids: evidence_ids,
                ProbeRun.error_reason: failure,
                ProbeRun.ended_at: done["at"] if done else _now(),
                ProbeRun.updated_at: _now(),
            }
        ).where(ProbeRun.id == run_id)
        after = {"status": status, "outcome": ans.outcome, "reason": failure}
        await record(PROBE_ACTOR, "probe_run.finish", "probe_run", run_id, None, after)
    if failure:
        log.warning("probe analysis failed", run=run_id, reason=failure)
    await hand_to_items(run_id)


async def refresh_measures(run_id: int) -> None:
    """A late event (transcript, out-of-order status) after the end: recompute, re-hand."""
    run = await load_run(run_id)
    events = await _events(run_id)
    observations = observe(events, dict(run["observations"] or {}), run["params"])
    measures = run_measures(events, observations, run["params"], await run_checklist(run))
    if _plain(measures) == _plain(run["measures"]) and _plain(observations) == _plain(
        run["observations"]
    ):
        return  # nothing new (e.g. transcription-stopped): leave the run and items alone
    await ProbeRun.update(
        {
            ProbeRun.measures: measures,
            ProbeRun.observations: observations,
            ProbeRun.outcome: measures.get("outcome"),
            ProbeRun.updated_at: _now(),
        }
    ).where(ProbeRun.id == run_id)
    await hand_to_items(run_id)


async def _pinned(version_id: int) -> Checklist:
    from audit.domain.plans.checklist_versions import pinned_checklist

    checklist = _checklists.get(version_id)
    if checklist is None:  # versions are immutable once pinned: parse each once
        checklist = _checklists[version_id] = await pinned_checklist(version_id)
    return checklist


async def run_checklist(run: dict[str, Any]) -> Checklist | None:
    """The checklist that judges a run: its inspection's pinned version (None: the shipped
    hotline checklist)."""
    from audit.domain.inspections.access import load_inspection

    if run.get("inspection_id") is None:
        return None
    inspection = await load_inspection(run["inspection_id"])
    return await _pinned(int(inspection["checklist_version_id"]))


async def hand_to_items(run_id: int) -> None:
    """Record the run's measures on every voice-bound item of its inspection."""
    from audit.domain.inspections.services import record_item_result

    run = await load_run(run_id)
    if run["inspection_id"] is None or run["measures"] is None:
        return
    checklist = await run_checklist(run)
    assert checklist is not None
    before = {r["item_id"]: r for r in run["item_results"] or []}
    results: list[dict[str, Any]] = []
    for item in checklist.items():
        if item.measure is None:
            continue
        measures = measures_for(run["observations"] or {}, Binding.of(item.measure, checklist))
        if measures is None:
            continue
        digest = hashlib.sha256(
            json.dumps([measures, run["evidence_ids"]], sort_keys=True, default=str).encode()
        ).hexdigest()
        if before.get(item.id, {}).get("digest") == digest and "result" in before[item.id]:
            # Unchanged: do not write again (nor overwrite an inspector's later correction).
            results.append(before[item.id])
            continue
        try:
            row = await record_item_result(
                run["inspection_id"],
                item.id,
                None,
                measures,
                run["evidence_ids"],
                PROBE_ACTOR,
                note=f"probe run {run_id}",
            )
            results.append({"item_id": item.id, "result": row["result"], "digest": digest})
        except DomainError as exc:
            # e.g. nothing to judge (busy line, no transcript) on an item without N/A.
            results.append({"item_id": item.id, "error": exc.message, "digest": digest})
    await ProbeRun.update({ProbeRun.item_results: results}).where(ProbeRun.id == run_id)
