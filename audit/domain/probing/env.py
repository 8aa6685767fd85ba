"""What the app gives a probe channel (``probes.channels.base.Env``): provider accounts, our
sender numbers, the evidence store, callback URLs, and a way to report in-process events.

A recording the evidence store refuses (corrupt, wrong format, oversized) is still kept, in
a content-addressed quarantine folder beside the store, so the run can say what arrived.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from audit.context import Actor
from audit.domain.evidence.services import store_evidence
from audit.domain.probing.telephony import TelephonyNotConfigured, caller_ids, current_account
from audit.errors import DomainError
from audit.settings import get_settings
from probes.channels.base import ChannelError, Kept

PROBE_ACTOR = Actor(id=None, name="probe", role="system")
Emit = Callable[[int, str, Mapping[str, Any]], Awaitable[Any]]
FindRun = Callable[[str, str | None, Mapping[str, str]], Awaitable[int | None]]


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


async def _no_emit(run_id: int, kind: str, params: Mapping[str, Any]) -> None:
    raise RuntimeError("this environment takes no in-process events")


async def _no_lookup(channel: str, ref: str | None, match: Mapping[str, str]) -> int | None:
    return None


@dataclass
class AppEnv:
    """``emit``/``find_run`` come from the lifecycle (passed in: it imports this module)."""

    emit_to: Emit = _no_emit
    lookup: FindRun = _no_lookup

    @property
    def public_base_url(self) -> str:
        return get_settings().public_base_url

    @property
    def max_evidence_bytes(self) -> int:
        return get_settings().max_upload_bytes

    def account(self, provider: str) -> Any:
        if provider != "twilio":
            raise ChannelError(f"no account for provider {provider!r}", field="provider")
        try:
            return current_account()
        except TelephonyNotConfigured as exc:
            raise ChannelError(str(exc), field="provider") from exc

    def senders(self, provider: str) -> tuple[str, ...]:
        return caller_ids() if provider == "twilio" else ()

    async def keep(self, data: bytes, kind: str, name: str) -> Kept:
        try:
            row = await store_evidence(data, kind, name, PROBE_ACTOR)
        except DomainError as exc:
            info: dict[str, Any] = _quarantine(data) if data else {"sha256": None, "size": 0}
            info["rejected"] = exc.message
            return Kept(None, info)
        evidence_id = int(row["id"])
        return Kept(evidence_id, {"sha256": row["sha256"], "size": row["size"],
                                  "evidence_id": evidence_id})  # fmt: skip

    async def emit(self, run_id: int, kind: str, params: Mapping[str, Any]) -> None:
        await self.emit_to(run_id, kind, params)

    async def find_run(self, channel: str, ref: str | None, match: Mapping[str, str]) -> int | None:
        return await self.lookup(channel, ref, match)
