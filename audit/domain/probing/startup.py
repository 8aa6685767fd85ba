"""Demo mode (``make run``) without Twilio credentials: start the local Twilio simulator."""

from __future__ import annotations

from typing import Any

import structlog

from audit.domain.probing.telephony import start_embedded_simulator, stop_embedded_simulator
from audit.errors import ConfigError
from probes.chat_demo import DemoChatSite

log = structlog.get_logger("audit.probing")
_chat_site: DemoChatSite | None = None


async def on_startup(app: Any) -> None:
    global _chat_site
    settings = app.state.settings
    if settings.demo and not (settings.twilio_account_sid and settings.twilio_auth_token):
        start_embedded_simulator(settings)
    if settings.demo and _chat_site is None:
        # the demo web-chat venue points here (audit/demo.py)
        try:
            _chat_site = DemoChatSite(port=settings.demo_chat_port).start()
        except OSError as exc:
            raise ConfigError(
                "AUDIT_DEMO_CHAT_PORT",
                f"the demo chat site cannot listen on 127.0.0.1:{settings.demo_chat_port} "
                f"({exc.strerror}); choose a free port",
            ) from None
        log.info("demo chat site started", url=f"http://127.0.0.1:{settings.demo_chat_port}/chat")


async def on_shutdown(app: Any) -> None:
    global _chat_site
    stop_embedded_simulator()
    if _chat_site is not None:
        _chat_site.stop()
        _chat_site = None
