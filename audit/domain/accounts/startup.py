"""Start-up: a fresh login throttle for the app (its windows are kept per web process)."""

from __future__ import annotations

from typing import Any


async def on_startup(app: Any) -> None:
    from audit.domain.accounts import services

    services.reset_login_throttle()
