"""The ``probing.finish`` job body, the same for every channel: evidence → observations →
measures → checklist items, stored only if no event arrived meanwhile.

    read event_seq ─► events ─► channel.collect (fetch/keep/analyse evidence)
                   ─► channel.measures ─► checklists.rules.judge per bound item
                   ─► one transaction: results where event_seq is unchanged, items, log
                      └ event_seq moved (a late event): start again with the newer events

A channel whose runs are judged as a whole (``scores_run``: a chat) also keeps the verdicts of
the run's checklist items with the observations (``items``, ``verdict``), judged by the same
:func:`judge_items` as the inspection's items, with or without an inspection.

Evidence is fetched once: a round that starts again hands the observations it built to the
channel as ``previous``, and so does a refresh of a finished run. A corrupt, empty, wrong-format
or oversized recording ends the run ``analysis_failed`` with the reason (the channel decides).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import structlog

from audit.db import write_transaction
from audit.domain.auditlog.services import record
from audit.domain.inspections.access import load_inspection
from audit.domain.inspections.services import record_item_result
from audit.domain.plans.checklist_versions import pinned_checklist
from audit.domain.probing.access import load_run
from audit.domain.probing.env import PROBE_ACTOR, AppEnv
from audit.domain.probing.store import as_run, channel_of, events_of
from audit.domain.probing.tables import REFRESHABLE, ProbeRun
from audit.errors import DomainError
from checklists.rules import Judgement, RuleError, judge
from checklists.schema import Checklist, Item
from probes.analysis.checklist_source import shipped
from probes.channels.base import Binding, Channel, Collected, Event, Measured

log = structlog.get_logger("audit.probing")
MAX_ROUNDS = 25  # each round needs a new event to fail; a call has a few dozen at most
_checklists: dict[int, Checklist] = {}


def _plain(value: Any) -> Any:
    """As stored: JSON round trip (datetimes become text, tuples lists)."""
    return json.loads(json.dumps(value, default=str))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def run_checklist(run: dict[str, Any], channel: Channel | None = None) -> Checklist | None:
    """The checklist that judges a run: its inspection's pinned version, else the channel's
    shipped default (None: the channel's own default, e.g. voice's hotline)."""
    if run.get("inspection_id") is None:
        default = channel.default_checklist if channel is not None else None
        return shipped(default) if default else None
    inspection = await load_inspection(run["inspection_id"])
    version_id = int(inspection["checklist_version_id"])
    checklist = _checklists.get(version_id)
    if checklist is None:  # versions are immutable once pinned: parse each once
        checklist = _checklists[version_id] = await pinned_checklist(version_id)
    return checklist


async def finish_run(run_id: int) -> str:
    """Finish (or, after a late event, refresh) a run; safe to run any number of times and
    concurrently with itself and with arriving events."""
    env = AppEnv()
    previous: dict[str, Any] | None = None
    for _ in range(MAX_ROUNDS):
        head = (
            await ProbeRun.select(ProbeRun.status, ProbeRun.event_seq, ProbeRun.finished_seq)
            .where(ProbeRun.id == run_id)
            .first()
        )
        if head is None:
            return "missing"
        status = str(head["status"])
        if status != "analysing" and status not in REFRESHABLE:
            return "skipped"  # live, failed on our side, or canceled: nothing to finish
        if status != "analysing" and head["finished_seq"] == head["event_seq"]:
            return "current"
        seq = int(head["event_seq"])
        run = await load_run(run_id)  # read after event_seq: never newer inputs than seq says
        channel = channel_of(run)
        events = await events_of(run_id)
        checklist = await run_checklist(run, channel)
        if previous is None and status in REFRESHABLE:
            previous = run["observations"]
        collected = await channel.collect(as_run(run), events, env, previous, checklist)
        previous = collected.observations
        if await _apply(run, status, seq, channel, events, collected, checklist):
            return "finished" if status == "analysing" else "refreshed"
    log.warning("probe finish gave up: events kept arriving", run=run_id)
    return "gave-up"


def _ended_at(channel: Channel, events: list[Event]) -> dt.datetime:
    times = [e.at for e in events if e.kind in channel.phase_kinds and e.at is not None]
    return max(times) if times else _now()


async def _apply(
    run: dict[str, Any],
    status: str,
    seq: int,
    channel: Channel,
    events: list[Event],
    collected: Collected,
    checklist: Checklist | None,
) -> bool:
    """Store the results iff ``event_seq`` is still ``seq``; False: start again."""
    observations = collected.observations
    measured = channel.measures(observations, None, checklist)
    measures = measured.values if measured is not None else None
    # (getattr: a channel without the attribute, e.g. a test double, keeps no verdicts)
    if getattr(channel, "scores_run", False) and measures is not None and checklist is not None:
        observations = {**observations, **scored(judge_items(channel, checklist, observations))}
    outcome = channel.outcome(observations)
    stale = (ProbeRun.id == run["id"]) & (ProbeRun.event_seq == seq)
    unchanged = status in REFRESHABLE and (
        _plain(measures) == _plain(run["measures"])
        and _plain(observations) == _plain(run["observations"])
    )
    async with write_transaction():
        if unchanged:  # nothing new (e.g. transcription-stopped): leave run and items alone
            done = (
                await ProbeRun.update({ProbeRun.finished_seq: seq})
                .where(stale & (ProbeRun.status == status))
                .returning(ProbeRun.id)
            )
            return bool(done)
        values: dict[Any, Any] = {
            ProbeRun.status: collected.status,
            ProbeRun.outcome: outcome,
            ProbeRun.measures: measures,
            ProbeRun.observations: observations,
            ProbeRun.evidence_ids: collected.evidence_ids,
            ProbeRun.error_reason: collected.reason[:2000] if collected.reason else None,
            ProbeRun.updated_at: _now(),
            ProbeRun.finished_seq: seq,
        }
        if status == "analysing":
            values[ProbeRun.ended_at] = _ended_at(channel, events)
        done = (
            await ProbeRun.update(values)
            .where(stale & (ProbeRun.status == status))
            .returning(ProbeRun.id)
        )
        if not done:
            return False  # a late event (or a cancel) came first: nothing written
        if status == "analysing":
            after = {"status": collected.status, "outcome": outcome, "reason": collected.reason}
            await record(PROBE_ACTOR, "probe_run.finish", "probe_run", run["id"], None, after)
        if collected.status != "probe_error" and measures is not None:
            results = await bind_items(run, channel, checklist, observations, collected)
            await ProbeRun.update({ProbeRun.item_results: results}).where(ProbeRun.id == run["id"])
    if collected.status == "analysis_failed":
        log.warning("probe analysis failed", run=run["id"], reason=collected.reason)
    return True


async def bind_items(
    run: dict[str, Any],
    channel: Channel,
    checklist: Checklist | None,
    observations: dict[str, Any],
    collected: Collected,
) -> list[dict[str, Any]]:
    """The one path from measures to item verdicts, for every channel: the channel's measures
    for each bound item, judged by ``checklists.rules.judge``, recorded on the inspection."""
    if run["inspection_id"] is None or checklist is None:
        return []
    before = {r["item_id"]: r for r in run["item_results"] or []}
    evidence_ids = collected.evidence_ids
    results: list[dict[str, Any]] = []
    for judged in judge_items(channel, checklist, observations):
        item, measured = judged.item, judged.measured
        digest = hashlib.sha256(
            json.dumps([measured.values, evidence_ids], sort_keys=True, default=str).encode()
        ).hexdigest()
        if before.get(item.id, {}).get("digest") == digest and "result" in before[item.id]:
            # Unchanged: do not write again (nor overwrite an inspector's later correction).
            results.append(before[item.id])
            continue
        if judged.error is not None:
            results.append({"item_id": item.id, "error": judged.error, "digest": digest})
            continue
        assert judged.verdict is not None
        if judged.verdict.result is None:
            # e.g. a busy line says nothing about the greeting, and the item has no N/A
            error = f"item {item.id}: {judged.verdict.reason} and N/A is not allowed"
            results.append({"item_id": item.id, "error": error, "digest": digest})
            continue
        try:
            row = await record_item_result(
                run["inspection_id"], item.id, judged.verdict.result, measured.values,
                evidence_ids, PROBE_ACTOR, note=f"probe run {run['id']}: {judged.verdict.reason}",
            )  # fmt: skip
            results.append({"item_id": item.id, "result": row["result"], "digest": digest})
        except DomainError as exc:
            results.append({"item_id": item.id, "error": exc.message, "digest": digest})
    return results


@dataclass(frozen=True)
class Judged:
    """One bound item of a run's checklist: the measures it is judged on, and its verdict
    (None with ``error`` when the rule cannot use them)."""

    item: Item
    measured: Measured
    verdict: Judgement | None
    error: str | None = None


def judge_items(
    channel: Channel, checklist: Checklist, observations: dict[str, Any]
) -> list[Judged]:
    """The one way a run's items are judged, for every channel: the channel's measures for
    each bound item (items of other channels skipped), by ``checklists.rules.judge``."""
    out: list[Judged] = []
    for item in checklist.items():
        if item.measure is None:
            continue
        measured = channel.measures(observations, Binding.of(item.measure, checklist))
        if measured is None:
            continue  # another channel's item
        try:
            verdict = judge(item.measure.rule, measured.values, measured.params,
                            na_allowed=item.na_allowed, unjudged=channel.unjudged)  # fmt: skip
        except RuleError as exc:
            out.append(Judged(item, measured, None, f"item {item.id}: {exc}"))
            continue
        out.append(Judged(item, measured, verdict))
    return out


def scored(judged: list[Judged]) -> dict[str, Any]:
    """A run judged as a whole: each item's verdict, and ``fail`` if any item failed."""
    items = [
        {"id": j.item.id, "result": j.verdict.result if j.verdict else None,
         "reason": j.verdict.reason if j.verdict else j.error}
        for j in judged
    ]  # fmt: skip
    verdict = "fail" if any(i["result"] == "fail" for i in items) else "pass"
    return {"items": items, "verdict": verdict}
