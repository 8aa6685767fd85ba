"""Receiving a (signature-checked) Twilio voice callback: the lifecycle stores it once and
moves its run on (lifecycle.py; the end is a ``probing.finish`` job, not this request)."""

from __future__ import annotations

from audit.domain.probing import lifecycle
from probes.channels.registry import channel

VOICE = channel("voice")


async def receive_callback(run_id: int, kind: str, params: dict[str, str]) -> None:
    await lifecycle.receive(run_id, VOICE, kind, params)
