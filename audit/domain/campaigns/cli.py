"""``audit campaigns``: schedule, run and watch probe campaigns from a terminal."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import click

from audit.context import SYSTEM


def _bar_values(p: dict[str, Any]) -> dict[str, Any]:
    rate = "—" if p["answer_rate"] is None else f"{p['answer_rate']:.0%}"
    return {"done": p["done"], "failed": p["failed"], "remaining": p["remaining"], "rate": rate}


async def _watch(campaign_id: int, interval: float, follow: bool) -> dict[str, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from audit import db
    from audit.domain.campaigns.services import progress

    await db.start()
    try:
        p = await progress(campaign_id, SYSTEM)
        columns = (
            TextColumn("[bold]campaign {task.fields[cid]}[/] {task.fields[status]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "done {task.fields[done]} · failed {task.fields[failed]} · "
                "remaining {task.fields[remaining]} · answer rate {task.fields[rate]}"
            ),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task(
                "campaign",
                total=max(p["total"], 1),
                completed=p["done"] + p["failed"] + p["canceled"],
                cid=campaign_id,
                status=p["status"],
                **_bar_values(p),
            )
            while follow and p["status"] not in ("completed", "canceled"):
                await asyncio.sleep(interval)
                p = await progress(campaign_id, SYSTEM)
                bar.update(
                    task,
                    total=max(p["total"], 1),
                    completed=p["done"] + p["failed"] + p["canceled"],
                    status=p["status"],
                    **_bar_values(p),
                )
        return p
    finally:
        await db.stop()


def _fail(exc: Exception) -> None:
    from audit.errors import DomainError

    if isinstance(exc, DomainError):
        click.echo(f"error: {exc.field or 'campaign'}: {exc.message}", err=True)
        sys.exit(2)
    raise exc


@click.group("campaigns", help="Probe campaigns: run and watch.")
def group() -> None:
    pass


@group.command("status", help="Show a campaign's progress (once, or --follow live).")
@click.argument("campaign_id", type=click.IntRange(1, 2_147_483_647))
@click.option("--follow", "-f", is_flag=True, help="keep updating until the campaign ends")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(0.05, 60))
def status(campaign_id: int, follow: bool, interval: float) -> None:
    try:
        asyncio.run(_watch(campaign_id, interval, follow))
    except Exception as exc:
        _fail(exc)


@group.command(
    "run",
    help="Schedule a draft campaign (or resume a paused one), then show live progress until "
    "it ends. Runs are executed by the jobs: the web app (embedded) or `audit worker`s.",
)
@click.argument("campaign_id", type=click.IntRange(1, 2_147_483_647))
@click.option("--start-now", is_flag=True, help="start at once instead of at the first run")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(0.05, 60))
@click.option("--no-follow", is_flag=True, help="return after scheduling")
def run(campaign_id: int, start_now: bool, interval: float, no_follow: bool) -> None:
    async def go() -> None:
        from audit import db
        from audit.domain.campaigns.services import get_campaign, transition

        await db.start()
        try:
            c = await get_campaign(campaign_id, SYSTEM)
            if c["status"] == "draft":
                c = await transition(campaign_id, "schedule", SYSTEM)
            if c["status"] == "paused":
                c = await transition(campaign_id, "resume", SYSTEM)
            if start_now and c["status"] == "scheduled":
                c = await transition(campaign_id, "start", SYSTEM)
            click.echo(f"campaign {campaign_id}: {c['status']}")
        finally:
            await db.stop()

    try:
        asyncio.run(go())
        p = asyncio.run(_watch(campaign_id, interval, not no_follow))
    except Exception as exc:
        _fail(exc)
    if not no_follow:
        click.echo(
            f"campaign {campaign_id} {p['status']}: done {p['done']}, failed {p['failed']}, "
            f"canceled {p['canceled']}, answer rate "
            + ("—" if p["answer_rate"] is None else f"{p['answer_rate']:.1%}")
        )
