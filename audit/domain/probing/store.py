"""Reading what a run has stored, as its channel sees it: the run, its events, its channel."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from audit.domain.probing.tables import ProbeEvent
from probes.channels.base import Channel, Event, Run
from probes.channels.registry import channel


def channel_of(run: Mapping[str, Any]) -> Channel:
    """The run's channel: chat runs name theirs in ``params.channel`` (web_chat, chat_api),
    other kinds are a channel of the same name (voice, sms)."""
    params = run.get("params") or {}
    return channel(str(params.get("channel") or run["kind"]))


def as_run(run: Mapping[str, Any]) -> Run:
    return Run(
        id=int(run["id"]),
        target=str(run["target"]),
        caller_id=run.get("caller_id"),
        provider_ref=run.get("provider_ref") or None,
        params=dict(run.get("params") or {}),
        started_at=run.get("started_at"),
    )


async def events_of(run_id: int) -> list[Event]:
    """The run's stored events (each once), in provider time order."""
    rows = (
        await ProbeEvent.select(
            ProbeEvent.dedupe_key,
            ProbeEvent.kind,
            ProbeEvent.name,
            ProbeEvent.at,
            ProbeEvent.params,
        )
        .where(ProbeEvent.run == run_id)
        .order_by(ProbeEvent.at)
        .order_by(ProbeEvent.id)
    )
    out = []
    for row in rows:
        params = row["params"]
        if isinstance(params, str):  # Piccolo: JSON as text on SQLite, values on PostgreSQL
            params = json.loads(params)
        key = str(row["dedupe_key"]).removeprefix(f"{run_id}:")  # the channel's own key
        out.append(Event(key, row["kind"], row["name"], row["at"], params or {}))
    return out
