"""Demo mode (``make run``) without Twilio credentials: start the local Twilio simulator."""

from __future__ import annotations

from typing import Any

from audit.domain.probing.telephony import start_embedded_simulator, stop_embedded_simulator


async def on_startup(app: Any) -> None:
    settings = app.state.settings
    if settings.demo and not (settings.twilio_account_sid and settings.twilio_auth_token):
        start_embedded_simulator(settings)


async def on_shutdown(app: Any) -> None:
    stop_embedded_simulator()
