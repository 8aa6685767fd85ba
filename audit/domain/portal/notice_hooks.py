"""The portal's part in a notice's life: an issued notice's findings become tracked items."""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.portal import items


async def on_notice_event(event: str, notice: dict[str, Any], actor: Actor, **details: Any) -> None:
    if event == "issued":
        await items.create_for_notice(notice, actor)
    elif event == "revoked":
        await items.withdraw_all(notice, actor)
