"""Embedded mode: with no ``AUDIT_SMTP_HOST``, the app starts the local SMTP server (aiosmtpd)
that receives every mail, kept under ``var/mail`` (see ``mailsink.py``)."""

from __future__ import annotations

from typing import Any

import structlog

from audit.domain.delivery import mailsink
from audit.domain.delivery.config import get_delivery_settings, mail_dir

log = structlog.get_logger("audit.delivery")


async def on_startup(app: Any) -> None:
    settings = get_delivery_settings()
    wanted = settings.mail_sink if settings.mail_sink is not None else app.state.settings.demo
    if settings.embedded_smtp and wanted:
        try:
            sink = mailsink.start_embedded(mail_dir(), settings.mail_sink_port)
        except OSError as exc:  # mail is retried later; the app itself still starts
            log.error("local SMTP server not started", error=str(exc))
            return
        log.info("local SMTP server started", port=sink.port, maildir=str(sink.directory))


async def on_shutdown(app: Any) -> None:
    mailsink.stop_embedded()
