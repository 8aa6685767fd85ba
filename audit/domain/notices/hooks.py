"""Other domains react to a notice's life without the notices domain importing them.

A domain with a ``notice_hooks.py`` module that defines
``async def on_notice_event(event, notice, actor, **details)`` is called for:

- ``issued`` — inside the issuing transaction (a failing hook rolls the issue back, so what
  it writes, e.g. finding items and queued deliveries, exists exactly when the notice does);
- ``superseded`` / ``revoked`` — inside the transaction of that change;
- ``downloaded`` / ``acknowledged`` — after the operator fetched or acknowledged it
  (``details``: ``comment`` for an acknowledgement).
"""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domains import domain_modules

EVENTS = ("issued", "superseded", "revoked", "downloaded", "acknowledged")


async def emit(event: str, notice: dict[str, Any], actor: Actor, **details: Any) -> None:
    if event not in EVENTS:  # a typo here would silently skip every hook
        raise ValueError(f"unknown notice event {event!r}")
    for _, module in domain_modules("notice_hooks"):
        hook = getattr(module, "on_notice_event", None)
        if hook is not None:
            await hook(event, notice, actor, **details)
