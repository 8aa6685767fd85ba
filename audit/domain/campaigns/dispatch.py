"""The database side of running campaigns: dispatching due runs, claiming, finishing, retrying.

Exactly-once rests here, not on the broker. Every state change is a conditional UPDATE that
only one contender can win:
- dispatch: ``planned → queued`` where still planned (a duplicated scheduler tick is harmless);
- claim: ``queued → running`` where still queued, with a fresh claim token (a duplicated task
  delivery, or a second worker, finds nothing to claim);
- heartbeat and finish: only with the claim token, so a worker that was presumed dead and
  replaced by the reconciler cannot overwrite the result.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any

from audit.db import engine
from audit.domain.campaigns.tables import CampaignRun, ProbeCampaign

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
ATTEMPT_OUTCOMES = ("answered", "busy", "no_answer")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Claim:
    run_id: int
    token: str
    campaign_id: int
    target_id: int
    caller_id: str
    attempts: int
    probe_run_id: int | None


async def start_due_campaigns(at: dt.datetime | None = None) -> list[int]:
    """Scheduled campaigns whose first run is due become running."""
    at = at or now()
    due = (
        await CampaignRun.select(CampaignRun.campaign)
        .where(
            (CampaignRun.campaign.status == "scheduled")
            & (CampaignRun.status == "planned")
            & (CampaignRun.scheduled_at <= at)
        )
        .distinct()
        .run()
    )
    started: list[int] = []
    for row in due:
        changed = (
            await ProbeCampaign.update(
                {ProbeCampaign.status: "running", ProbeCampaign.started_at: at}
            )
            .where((ProbeCampaign.id == row["campaign"]) & (ProbeCampaign.status == "scheduled"))
            .returning(ProbeCampaign.id)
            .run()
        )
        started.extend(r["id"] for r in changed)
    return started


async def queue_due_runs(limit: int, at: dt.datetime | None = None) -> list[int]:
    """Move due runs of running campaigns to ``queued``; returns the ids this call queued."""
    at = at or now()
    return await queue_runs(await due_runs(limit, at), at)


async def due_runs(limit: int, at: dt.datetime) -> list[int]:
    """Planned runs of running campaigns whose time has come, earliest first."""
    candidates = (
        await CampaignRun.select(CampaignRun.id)
        .where(
            (CampaignRun.status == "planned")
            & (CampaignRun.scheduled_at <= at)
            & (CampaignRun.campaign.status == "running")
        )
        .order_by(CampaignRun.scheduled_at)
        .limit(limit)
        .run()
    )
    return [r["id"] for r in candidates]


async def queue_runs(ids: list[int], at: dt.datetime) -> list[int]:
    """Move ``ids`` to ``queued`` if they are still planned and their campaign still running."""
    if not ids:
        return []
    won = (
        await CampaignRun.update({CampaignRun.status: "queued", CampaignRun.queued_at: at})
        .where(
            CampaignRun.id.is_in(ids)
            & (CampaignRun.status == "planned")
            # Checked again in the update: a pause committed after the select above (it puts
            # queued runs back to planned) must not be followed by runs queued for it.
            & CampaignRun.campaign.is_in(
                ProbeCampaign.select(ProbeCampaign.id).where(ProbeCampaign.status == "running")
            )
        )
        .returning(CampaignRun.id)
        .run()
    )
    return sorted(r["id"] for r in won)


async def lost_queued_runs(older_than_s: float, at: dt.datetime | None = None) -> list[int]:
    """Queued runs nobody claimed in time (the broker message was lost): send them again."""
    at = at or now()
    cutoff = at - dt.timedelta(seconds=older_than_s)
    rows = (
        await CampaignRun.select(CampaignRun.id)
        .where(
            (CampaignRun.status == "queued")
            & (CampaignRun.queued_at < cutoff)
            & (CampaignRun.campaign.status == "running")
        )
        .run()
    )
    ids = [r["id"] for r in rows]
    if ids:
        # Refresh queued_at so one lost message is re-sent once per period, not every tick.
        await (
            CampaignRun.update({CampaignRun.queued_at: at})
            .where(CampaignRun.id.is_in(ids) & (CampaignRun.status == "queued"))
            .run()
        )
    return ids


async def complete_finished_campaigns(at: dt.datetime | None = None) -> list[int]:
    """Running campaigns with nothing left to do become completed."""
    at = at or now()
    running = await ProbeCampaign.select(ProbeCampaign.id).where(ProbeCampaign.status == "running")
    done: list[int] = []
    for row in running:
        left = await CampaignRun.exists().where(
            (CampaignRun.campaign == row["id"])
            & CampaignRun.status.is_in(["planned", "queued", "running"])
        )
        if left:
            continue
        changed = (
            await ProbeCampaign.update(
                {ProbeCampaign.status: "completed", ProbeCampaign.finished_at: at}
            )
            .where((ProbeCampaign.id == row["id"]) & (ProbeCampaign.status == "running"))
            .returning(ProbeCampaign.id)
            .run()
        )
        done.extend(r["id"] for r in changed)
    return done


async def claim(run_id: int, worker: str = WORKER_ID) -> Claim | None:
    """Take a queued run for this worker, or None when it is not (or no longer) claimable."""
    campaign = (
        await CampaignRun.select(CampaignRun.campaign.status.as_alias("campaign_status"))
        .where(CampaignRun.id == run_id)
        .first()
        .run()
    )
    if campaign is None or campaign["campaign_status"] != "running":
        return None  # paused/canceled: pause also moves queued runs back to planned
    token = uuid.uuid4().hex
    at = now()
    rows = (
        await CampaignRun.update(
            {
                CampaignRun.status: "running",
                CampaignRun.claim_token: token,
                CampaignRun.claimed_by: worker[:100],
                CampaignRun.claimed_at: at,
                CampaignRun.heartbeat_at: at,
            }
        )
        .where((CampaignRun.id == run_id) & (CampaignRun.status == "queued"))
        .returning(
            CampaignRun.id,
            CampaignRun.campaign,
            CampaignRun.target,
            CampaignRun.caller_id,
            CampaignRun.attempts,
            CampaignRun.probe_run_id,
        )
        .run()
    )
    if not rows:
        return None
    r = rows[0]
    return Claim(
        r["id"], token, r["campaign"], r["target"], r["caller_id"], r["attempts"], r["probe_run_id"]
    )


def _owned(run_id: int, token: str) -> Any:
    return (
        (CampaignRun.id == run_id)
        & (CampaignRun.claim_token == token)
        & (CampaignRun.status == "running")
    )


async def heartbeat(run_id: int, token: str, **values: Any) -> bool:
    """Still ours? Refresh the heartbeat (and store ``values``, e.g. probe_run_id)."""
    update: dict[Any, Any] = {CampaignRun.heartbeat_at: now()}
    for key, value in values.items():
        update[getattr(CampaignRun, key)] = value
    rows = (
        await CampaignRun.update(update)
        .where(_owned(run_id, token))
        .returning(CampaignRun.id)
        .run()
    )
    return bool(rows)


async def finish(run_id: int, token: str, result: dict[str, Any]) -> bool:
    """Record a telephony result (answered/busy/no_answer…) once; False if not ours any more.

    This try counts as an attempt (``attempts`` is 1 when the first try succeeded), and the
    result replaces an earlier try's error: a retried-then-successful run shows its result,
    its failed tries stay in ``history``."""
    values: dict[Any, Any] = {
        CampaignRun.status: "done",
        CampaignRun.finished_at: now(),
        CampaignRun.claim_token: None,
        CampaignRun.attempts: CampaignRun.attempts + 1,
        CampaignRun.error: None,
        CampaignRun.error_code: None,
    }
    for key in (
        "outcome",
        "answer_seconds",
        "rang",
        "silent_call_verdict",
        "greeting_verdict",
        "started_at",
        "probe_run_id",
    ):
        if key in result:
            values[getattr(CampaignRun, key)] = result[key]
    async with engine().transaction():
        rows = (
            await CampaignRun.update(values)
            .where(_owned(run_id, token))
            .returning(CampaignRun.id)
            .run()
        )
    return bool(rows)


async def fail_attempt(
    run_id: int,
    token: str,
    *,
    error: str,
    code: int | None,
    permanent: bool,
    max_attempts: int,
    retry_delay_s: float,
) -> str | None:
    """A probe failure (ours or the carrier's): retry later, or fail for good.

    Returns ``"retry"``, ``"failed"`` or None when the run is not ours any more. No-answer and
    busy never come here: they are results (see :func:`finish`).
    """
    row = (
        await CampaignRun.select(CampaignRun.attempts, CampaignRun.history)
        .where(_owned(run_id, token))
        .first()
        .run()
    )
    if row is None:
        return None
    history = row["history"]
    if isinstance(history, str):
        import json

        history = json.loads(history)
    attempts = int(row["attempts"]) + 1
    at = now()
    history = [
        *history,
        {
            "attempt": attempts,
            "error": error[:500],
            "code": code,
            "permanent": permanent,
            "at": at.isoformat(),
        },
    ]
    retry = not permanent and attempts < max_attempts
    values: dict[Any, Any] = {
        CampaignRun.attempts: attempts,
        CampaignRun.history: history,
        CampaignRun.error: error[:2000],
        CampaignRun.error_code: code,
        CampaignRun.claim_token: None,
        CampaignRun.probe_run_id: None,
    }
    if retry:
        values[CampaignRun.status] = "planned"
        values[CampaignRun.scheduled_at] = at + dt.timedelta(seconds=retry_delay_s)
    else:
        values[CampaignRun.status] = "failed"
        values[CampaignRun.outcome] = "failed"
        values[CampaignRun.finished_at] = at
    rows = (
        await CampaignRun.update(values)
        .where(_owned(run_id, token))
        .returning(CampaignRun.id)
        .run()
    )
    if not rows:
        return None
    return "retry" if retry else "failed"


async def stale_runs(older_than_s: float, at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Running runs whose worker stopped reporting (killed, or its machine lost)."""
    cutoff = (at or now()) - dt.timedelta(seconds=older_than_s)
    return list(
        await CampaignRun.select(CampaignRun.id, CampaignRun.claim_token, CampaignRun.probe_run_id)
        .where((CampaignRun.status == "running") & (CampaignRun.heartbeat_at < cutoff))
        .run()
    )


async def take_over(run_id: int, old_token: str | None, worker: str) -> str | None:
    """The reconciler takes a stale run; returns the new token, None if someone else did."""
    token = uuid.uuid4().hex
    cond = (CampaignRun.id == run_id) & (CampaignRun.status == "running")
    cond = cond & (
        CampaignRun.claim_token.is_null()
        if old_token is None
        else CampaignRun.claim_token == old_token
    )
    rows = (
        await CampaignRun.update(
            {
                CampaignRun.claim_token: token,
                CampaignRun.claimed_by: worker[:100],
                CampaignRun.heartbeat_at: now(),
            }
        )
        .where(cond)
        .returning(CampaignRun.id)
        .run()
    )
    return token if rows else None


async def requeue(run_id: int, token: str) -> bool:
    """Back to planned (due now): the worker died before any call was placed."""
    rows = (
        await CampaignRun.update(
            {
                CampaignRun.status: "planned",
                CampaignRun.claim_token: None,
                CampaignRun.scheduled_at: now(),
            }
        )
        .where(_owned(run_id, token))
        .returning(CampaignRun.id)
        .run()
    )
    return bool(rows)


async def campaign_of(run_id: int) -> int | None:
    row = (
        await CampaignRun.select(CampaignRun.campaign).where(CampaignRun.id == run_id).first().run()
    )
    return None if row is None else int(row["campaign"])
