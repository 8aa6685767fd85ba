"""Probe runs of any channel, as other domains ask for them (campaigns): start one, read its
result as a campaign attempt, find the run a provider callback belongs to.

    start_run ─► channel (named, or the registry's for the venue kind) ─► channel.params
              (validated) ─► ProbeRun queued ─► channel.start ─► dialing
    result    ─► None while live; else the channel's ``attempt`` of the stored result

A probe that runs in this process (a chat) reports its end through ``Env.emit``, which is
the lifecycle's ``receive``: the same path as a provider callback. Voice keeps its own start
(``services.start_voice_run``: the API's request shape, the listening-time check) in front of
``start_run``; the result is the same for all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import structlog

from audit.context import SYSTEM, Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.inspections.access import get_writable
from audit.domain.operators.services import get_venue
from audit.domain.plans.access import get_plan
from audit.domain.probing import lifecycle
from audit.domain.probing import tasks as _tasks  # the probing.finish job the lifecycle sends
from audit.domain.probing.access import load_run
from audit.domain.probing.env import AppEnv
from audit.domain.probing.store import as_run, channel_of
from audit.domain.probing.tables import FINAL, ProbeRun
from audit.errors import DomainError, NotFound
from probes.channels.base import Attempt, Channel, ChannelError, ProbeError, Run
from probes.channels.base import Venue as ChannelVenue
from probes.channels.registry import CHANNELS, for_venue_kind
from probes.channels.registry import channel as channel_named


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def channel_venue(row: dict[str, Any]) -> ChannelVenue:
    return ChannelVenue(
        id=int(row["id"]),
        kind=str(row["kind"]),
        name=str(row.get("name") or ""),
        phones=tuple(row.get("phones") or ()),
        service_numbers=tuple(row.get("service_numbers") or ()),
        urls=tuple(row.get("urls") or ()),
        company=row.get("company_name"),
        sessions_per_day=row.get("sessions_per_day"),
        profile=row.get("profile") or {},
    )


assert _tasks.finish_task.task_name == lifecycle.FINISH_TASK
log = structlog.get_logger("audit.probing")


def app_env(channel: Channel, *, inline: bool = False) -> AppEnv:
    """The env a run's probe gets: what it reports in-process goes to the lifecycle (with
    ``inline`` its end is finished right there, not in a job)."""

    async def emit(run_id: int, kind: str, params: Mapping[str, Any]) -> None:
        await lifecycle.receive(run_id, channel, kind, params, inline=inline)

    return AppEnv(emit_to=emit)


def _channel_for(venue: ChannelVenue, run_kind: str | None) -> Channel:
    """The registry's channel for the venue's kind, refused unless it makes ``run_kind``
    runs (e.g. a chat run asked for a hotline)."""
    channel = for_venue_kind(venue.kind)
    if channel is None or (run_kind is not None and channel.run_kind != run_kind):
        kinds = [k for c in CHANNELS if c.run_kind == run_kind for k in c.venue_kinds]
        wanted = " or ".join(kinds) if run_kind is not None else "probed"
        raise DomainError(f"venue {venue.id} is a {venue.kind}, not a {wanted} venue",
                          field="venue_id")  # fmt: skip
    return channel


async def start_run(
    channel_name: str | None,
    actor: Actor,
    *,
    venue_id: int | None,
    plan_id: int | None = None,
    inspection_id: int | None = None,
    target: str | None = None,
    caller_id: str | None = None,
    options: dict[str, Any] | None = None,
    campaign_run_id: int | None = None,
    run_kind: str | None = None,
    wait: bool = False,
    operator_id: int | None = None,
) -> dict[str, Any]:
    """Create a run on ``channel_name`` (None: the registry's channel for the venue's kind,
    which must make ``run_kind`` runs when given) and start it. With ``inspection_id`` the
    venue and plan are the inspection's and its items are judged at the end. Bad input is a
    DomainError naming the field (nothing stored); a provider refusal ends the run
    ``probe_error`` with its code. ``wait``: a probe running in this process (a chat) is
    awaited and its end finished in it, so the run is returned finished. A named channel may
    probe a bare ``target`` without a venue (a voice number): ``operator_id`` then says
    whose it is, else the plan's operator."""
    if actor.is_operator:  # operators never start probes, nor learn which venues exist
        raise NotFound("no such venue", field="venue_id")
    if inspection_id is not None:
        inspection = await get_writable(inspection_id, actor)
        venue_id, plan_id = inspection["venue_id"], inspection["plan_id"]
    if venue_id is None and not (channel_name and target):
        raise DomainError("give venue_id or inspection_id", field="venue_id")
    row = await get_venue(venue_id, actor) if venue_id is not None else None
    venue = channel_venue(row) if row is not None else None
    if channel_name:
        channel = channel_named(channel_name)
    else:
        assert venue is not None
        channel = _channel_for(venue, run_kind)
    plan = await get_plan(plan_id, actor) if plan_id is not None else None
    covert = bool(plan and plan["method"] == "covert")
    if row is not None:
        operator_id = row["operator_id"]
    elif operator_id is None and plan is not None:
        operator_id = plan["operator_id"]
    try:
        target = target or (channel.target(venue) if venue is not None else None)
        params = channel.params(options or {}, venue)
    except ChannelError as exc:
        raise DomainError(exc.message, field=exc.field) from exc
    if not target:
        raise DomainError(f"venue {venue_id} has no target for {channel.name}", field="target")
    async with engine().transaction():
        rows = await ProbeRun.insert(
            ProbeRun(
                kind=channel.run_kind, status="queued", venue=venue_id, operator=operator_id,
                plan=plan_id, inspection=inspection_id, campaign_run_id=campaign_run_id,
                target=target[:500],
                caller_id=caller_id, covert=covert, provider=channel.provider, params=params,
                created_by=actor.id, created_at=_now(), updated_at=_now(),
            )
        ).returning(ProbeRun.id)  # fmt: skip
        run_id = int(rows[0]["id"])
        await record(actor, "probe_run.create", "probe_run", run_id, None, {"target": target})
    run = await load_run(run_id)
    try:
        env = app_env(channel, inline=wait)
        placed = await channel.start(replace(as_run(run), venue=venue), env)
    except (ProbeError, ChannelError) as exc:
        code = exc.code if isinstance(exc, ProbeError) else None
        permanent = exc.permanent if isinstance(exc, ProbeError) else True
        await probe_error(run_id, code, str(exc), permanent, actor)
        log.warning("probe could not be started", run=run_id, code=code, permanent=permanent)
        return await load_run(run_id)
    async with engine().transaction():
        await ProbeRun.update(
            {ProbeRun.provider_ref: placed.provider_ref, ProbeRun.started_at: _now()}
        ).where(ProbeRun.id == run_id)
        # Callbacks may already have moved the run on; only a queued run becomes dialing.
        await ProbeRun.update({ProbeRun.status: "dialing", ProbeRun.updated_at: _now()}).where(
            (ProbeRun.id == run_id) & (ProbeRun.status == "queued")
        )
        await record(actor, "probe_run.dial", "probe_run", run_id, None,
                     {"ref": placed.provider_ref})  # fmt: skip
    if wait and (task := channel.running(run_id)) is not None:
        await task
    return await load_run(run_id)


async def probe_error(
    run_id: int, code: int | None, reason: str, permanent: bool, actor: Actor
) -> None:
    async with engine().transaction():
        await ProbeRun.update(
            {
                ProbeRun.status: "probe_error",
                ProbeRun.error_code: code,
                ProbeRun.error_reason: reason[:2000],
                ProbeRun.error_permanent: permanent,
                ProbeRun.ended_at: _now(),
                ProbeRun.updated_at: _now(),
            }
        ).where(ProbeRun.id == run_id)
        after = {"code": code, "reason": reason, "permanent": permanent}
        await record(actor, "probe_run.error", "probe_run", run_id, None, after)


@dataclass(frozen=True)
class RunResult:
    """A finished run as a campaign sees it: the attempt, or why the probe itself failed."""

    probe_run_id: int
    attempt: Attempt | None  # None: the probe failed (ours or the carrier's)
    error: str | None = None
    error_code: int | None = None
    permanent: bool = False
    started_at: Any = None


def result_of_row(row: dict[str, Any]) -> RunResult | None:
    """None while the run goes on; its result once it is over (pure: the stored run)."""
    if row["status"] not in FINAL:
        return None
    run_id = int(row["id"])
    if row["status"] in ("probe_error", "canceled"):
        reason = row.get("error_reason") or f"probe run {run_id} {row['status']}"
        return RunResult(run_id, None, reason, row.get("error_code"),
                         bool(row.get("error_permanent")), row.get("started_at"))  # fmt: skip
    channel = channel_of({"kind": row.get("kind") or "voice", "params": row.get("params")})
    observations = row.get("observations") or {}
    attempt = channel.attempt(row.get("outcome"), observations, row.get("measures") or {})
    if attempt.outcome is None:
        reason = row.get("error_reason") or attempt.error
        return RunResult(run_id, None, reason, row.get("error_code"),
                         bool(row.get("error_permanent")), row.get("started_at"))  # fmt: skip
    return RunResult(run_id, attempt, started_at=row.get("started_at"))


async def result(run_id: int) -> RunResult | None:
    """The run's result (None while it goes on); NotFound when it does not exist."""
    return result_of_row(await load_run(run_id))


async def channel_run(run_id: int, channel: Channel) -> Run:
    """A run of ``channel`` as the channel sees it, with its venue (a callback naming the
    run in its URL is checked against the venue's secret); NotFound for any other run."""
    try:
        row = await load_run(run_id)
    except NotFound:
        raise NotFound(f"{channel.name} run {run_id} not found") from None
    try:
        named = channel_of(row).name
    except KeyError:  # a stored run no registered channel names (a chat row without its channel)
        named = None
    if named != channel.name or row.get("venue_id") is None:
        raise NotFound(f"{channel.name} run {run_id} not found")
    venue = channel_venue(await get_venue(int(row["venue_id"]), SYSTEM))
    return replace(as_run(row), venue=venue)


async def find_run(channel_name: str, ref: str | None, match: dict[str, str]) -> int | None:
    """The run a ``lookup`` callback belongs to: by the provider's reference, else the newest
    run of the channel with that target and our sender."""
    channel = channel_named(channel_name)
    query = ProbeRun.select(ProbeRun.id).where(ProbeRun.kind == channel.run_kind)
    if ref:
        query = query.where(ProbeRun.provider_ref == ref)
    else:
        if not match.get("target") or not match.get("sender"):
            return None
        query = query.where(
            (ProbeRun.target == match["target"]) & (ProbeRun.caller_id == match["sender"])
        )
    row = await query.order_by(ProbeRun.id, ascending=False).first()
    return None if row is None else int(row["id"])
