"""The read side of probe runs: a filtered, paged list in SQL (visibility included, so a page
of 50 costs one query however many runs an inspector may not see), a run's verdict in words
the list and the detail page share, and a run with the names and files its page shows.

Visibility is :func:`audit.domain.probing.access.may_read`, expressed as a WHERE clause:
the regulator's readers see every run; others see the runs of the plans they may see (an
operator user: only of published plans of their own operator) and, outside any plan, the
runs they created themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from audit.context import Actor
from audit.db import is_postgres
from audit.domain.probing.access import _FIELDS, READ_ALL, _decode, check_readable, load_run
from audit.domain.probing.tables import ProbeRun

VERDICTS = ("pass", "fail", "none")
CHANNELS = ("voice", "chat", "upload")  # upload: a recording a person made and sent in
UPLOAD_PROVIDER = "upload"


@dataclass(frozen=True)
class RunFilter:
    operator_id: int | None = None
    venue_id: int | None = None
    channel: str | None = None  # voice | chat | upload
    kind: str | None = None  # voice (uploads included) | chat
    verdict: str | None = None  # pass | fail | none (not judged)
    status: str | None = None
    since: dt.datetime | None = None  # started (or created) at or after
    until: dt.datetime | None = None  # started (or created) before
    inspection_id: int | None = None
    plan_id: int | None = None
    campaign_run_ids: tuple[int, ...] | None = None


def verdict_of(run: dict[str, Any]) -> str | None:
    """The run's overall verdict: a chat's scored verdict; for a call, ``fail`` when the
    silent-call protocol or the greeting failed, ``pass`` when one passed and none failed;
    None when nothing was judged (busy, no answer, inconclusive, not analysed)."""
    if run["kind"] == "chat":
        verdict = (run.get("observations") or {}).get("verdict")
        return verdict if verdict in ("pass", "fail") else None
    measures = run.get("measures") or {}
    found = [
        (measures.get(root) or {}).get("verdict")
        for root in ("silent_call", "greeting")
        if isinstance(measures.get(root), dict)
    ]
    if "fail" in found:
        return "fail"
    return "pass" if "pass" in found else None


def _json_text(column: str, *path: str) -> str:
    if is_postgres():
        steps = "".join(f"->'{p}'" for p in path[:-1])
        return f"(probe_run.{column}{steps}->>'{path[-1]}')"
    return f"json_extract(probe_run.{column}, '$.{'.'.join(path)}')"


def _verdict_sql() -> str:
    """:func:`verdict_of` in SQL (SQLite's json_extract or PostgreSQL's json operators)."""
    silent = _json_text("measures", "silent_call", "verdict")
    greeting = _json_text("measures", "greeting", "verdict")
    chat = _json_text("observations", "verdict")
    return (
        "(CASE WHEN probe_run.kind = 'chat' THEN "
        f"(CASE WHEN {chat} IN ('pass', 'fail') THEN {chat} END) "
        f"WHEN {silent} = 'fail' OR {greeting} = 'fail' THEN 'fail' "
        f"WHEN {silent} = 'pass' OR {greeting} = 'pass' THEN 'pass' END)"
    )


async def _visibility(actor: Actor) -> Any | None:
    """The WHERE clause of what ``actor`` may read (None: everything); the visible plans
    are a sub-select (no id list in Python)."""
    from audit.domain.plans.access import visible_plans

    if actor.role in READ_ALL or (actor.id is None and actor.role == "system"):
        return None
    if actor.is_operator:  # their own operator's runs of published plans only
        released = visible_plans(actor, results_only=True)
        if released is None:  # not for operator users; fail closed all the same
            return ProbeRun.id == -1
        return (ProbeRun.operator == actor.operator_id) & ProbeRun.plan.is_in(released)
    plans = visible_plans(actor)
    if plans is None:  # the same roles read everything in both rules
        return None
    in_plan = ProbeRun.plan.is_in(plans)
    if actor.id is None:
        return in_plan
    return in_plan | (ProbeRun.plan.is_null() & (ProbeRun.created_by == actor.id))


def _where(query: Any, f: RunFilter) -> Any:
    if f.operator_id is not None:
        query = query.where(ProbeRun.operator == f.operator_id)
    if f.venue_id is not None:
        query = query.where(ProbeRun.venue == f.venue_id)
    if f.inspection_id is not None:
        query = query.where(ProbeRun.inspection == f.inspection_id)
    if f.plan_id is not None:
        query = query.where(ProbeRun.plan == f.plan_id)
    if f.status:
        query = query.where(ProbeRun.status == f.status)
    if f.kind:
        query = query.where(ProbeRun.kind == f.kind)
    if f.channel == "upload":
        query = query.where(ProbeRun.provider == UPLOAD_PROVIDER)
    elif f.channel == "voice":
        query = query.where((ProbeRun.kind == "voice") & (ProbeRun.provider != UPLOAD_PROVIDER))
    elif f.channel:
        query = query.where(ProbeRun.kind == f.channel)
    if f.verdict in ("pass", "fail"):
        query = query.where(WhereRaw(f"{_verdict_sql()} = {{}}", f.verdict))
    elif f.verdict == "none":
        query = query.where(WhereRaw(f"{_verdict_sql()} IS NULL"))
    # A run's time is when it started (a hand-made recording: when the call was made);
    # a run that never started counts from when it was created.
    if f.since is not None:
        query = query.where(
            (ProbeRun.started_at >= f.since)
            | (ProbeRun.started_at.is_null() & (ProbeRun.created_at >= f.since))
        )
    if f.until is not None:
        query = query.where(
            (ProbeRun.started_at < f.until)
            | (ProbeRun.started_at.is_null() & (ProbeRun.created_at < f.until))
        )
    if f.campaign_run_ids is not None:
        query = query.where(ProbeRun.campaign_run_id.is_in(list(f.campaign_run_ids) or [-1]))
    return query


_LIST_EXTRA = (
    ProbeRun.venue.name.as_alias("venue_name"),
    ProbeRun.venue.kind.as_alias("venue_kind"),
    ProbeRun.operator.name.as_alias("operator_name"),
)


async def list_runs(
    actor: Actor, f: RunFilter | None = None, *, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Runs ``actor`` may read that match ``f``, newest first (``limit`` rows from ``offset``),
    each with its venue and operator names and its ``verdict``."""
    query = ProbeRun.select(*_FIELDS, *_LIST_EXTRA)
    visible = await _visibility(actor)
    if visible is not None:
        query = query.where(visible)
    query = _where(query, f or RunFilter())
    rows = await query.order_by(ProbeRun.id, ascending=False).limit(limit).offset(offset)
    out = []
    for row in rows:
        row = _decode(row)
        row["verdict"] = verdict_of(row)
        out.append(row)
    return out


async def run_detail(run_id: int, actor: Actor) -> dict[str, Any]:
    """A run for its page: the run, its venue/operator names, its verdict and evidence rows."""
    from audit.domain.evidence.services import get_many
    from audit.domain.operators.tables import Operator, Venue

    run = await load_run(run_id)
    await check_readable(run, actor)
    run["verdict"] = verdict_of(run)
    run["venue"] = None
    if run["venue_id"] is not None:
        run["venue"] = (
            await Venue.select(Venue.id, Venue.name, Venue.kind, Venue.company_name)
            .where(Venue._meta.primary_key == run["venue_id"])
            .first()
        )
    run["operator_name"] = None
    if run["operator_id"] is not None:
        op = await Operator.select(Operator.name).where(Operator.id == run["operator_id"]).first()
        run["operator_name"] = op["name"] if op else None
    run["evidence"] = await get_many([int(i) for i in run["evidence_ids"] or []])
    return run


async def item_verdicts(run: dict[str, Any]) -> list[dict[str, Any]]:
    """Per checklist item: ``{id, text, result, reason}``. A chat run's are the ones it was
    scored with; a call's are judged now from its observations with each item's own binding,
    by the checklist that judged it (its inspection's pinned version, else the shipped
    hotline checklist), as the inspection's items were."""
    from checklists.rules import RuleError, judge
    from probes.analysis.checklist_source import HOTLINE_ID, shipped
    from probes.channels.base import Binding
    from probes.channels.voice.measures import measures_for

    if run["kind"] == "chat":
        from probes.analysis.chat_scoring import DEFAULT_CHECKLIST_ID, find_checklist

        items = (run.get("observations") or {}).get("items") or []
        checklist = find_checklist(DEFAULT_CHECKLIST_ID)
        texts = {i.id: str(i.text) for i in checklist.items()}
        return [{**i, "text": texts.get(i["id"], i["id"])} for i in items]
    if not run.get("observations"):
        return []
    from audit.domain.probing.finish import run_checklist

    checklist = await run_checklist(run) or shipped(HOTLINE_ID)
    out = []
    for item in checklist.items():
        if item.measure is None:
            continue
        measures = measures_for(run["observations"], Binding.of(item.measure, checklist))
        if measures is None:
            continue
        try:
            j = judge(item.measure.rule, measures, item.measure.params, na_allowed=item.na_allowed)
        except RuleError as exc:
            out.append({"id": item.id, "text": str(item.text), "result": None, "reason": str(exc)})
            continue
        out.append({"id": item.id, "text": str(item.text), "result": j.result, "reason": j.reason})
    return out
