"""Probe runs of any channel, as other domains ask for them (campaigns): start one, read its
result as a campaign attempt, find the run a provider callback belongs to.

    start_run ─► channel.params (validated) ─► ProbeRun queued ─► channel.start ─► dialing
    result    ─► None while live; else the channel's ``attempt`` of the stored result

Voice and chat runs keep their own start (``services.start_voice_run``, ``chat``) for the
API's request shapes; the result is the same path for all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.operators.services import get_venue
from audit.domain.plans.access import get_plan
from audit.domain.probing.access import load_run
from audit.domain.probing.env import AppEnv
from audit.domain.probing.store import as_run, channel_of
from audit.domain.probing.tables import FINAL, ProbeRun
from audit.errors import DomainError
from probes.channels.base import Attempt, ChannelError, ProbeError
from probes.channels.base import Venue as ChannelVenue
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


async def start_run(
    channel_name: str,
    actor: Actor,
    *,
    venue_id: int,
    plan_id: int | None = None,
    target: str | None = None,
    caller_id: str | None = None,
    options: dict[str, Any] | None = None,
    campaign_run_id: int | None = None,
) -> dict[str, Any]:
    """Create a run on ``channel_name`` and start it. Bad input is a DomainError naming the
    field (nothing stored); a provider refusal ends the run ``probe_error`` with its code."""
    channel = channel_named(channel_name)
    row = await get_venue(venue_id, actor)
    plan = await get_plan(plan_id, actor) if plan_id is not None else None
    covert = bool(plan and plan["method"] == "covert")
    venue = channel_venue(row)
    try:
        params = channel.params(options or {}, venue)
        target = target or channel.target(venue)
    except ChannelError as exc:
        raise DomainError(exc.message, field=exc.field) from exc
    if not target:
        raise DomainError(f"venue {venue_id} has no target for {channel_name}", field="target")
    async with engine().transaction():
        rows = await ProbeRun.insert(
            ProbeRun(
                kind=channel.run_kind, status="queued", venue=venue_id, operator=row["operator_id"],
                plan=plan_id, campaign_run_id=campaign_run_id, target=target[:500],
                caller_id=caller_id, covert=covert, provider=channel.provider, params=params,
                created_by=actor.id, created_at=_now(), updated_at=_now(),
            )
        ).returning(ProbeRun.id)  # fmt: skip
        run_id = int(rows[0]["id"])
        await record(actor, "probe_run.create", "probe_run", run_id, None, {"target": target})
    run = await load_run(run_id)
    try:
        placed = await channel.start(as_run(run), AppEnv())
    except (ProbeError, ChannelError) as exc:
        code = exc.code if isinstance(exc, ProbeError) else None
        permanent = exc.permanent if isinstance(exc, ProbeError) else True
        await probe_error(run_id, code, str(exc), permanent, actor)
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
