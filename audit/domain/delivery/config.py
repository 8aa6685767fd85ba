"""Delivery settings (``AUDIT_SMTP_*``, ``AUDIT_WEBHOOK_*``, ``AUDIT_MAIL_SINK_*``),
documented in docs/portal.md.

Embedded default (no ``AUDIT_SMTP_HOST``): the app starts a real local SMTP server
(aiosmtpd, :mod:`audit.domain.delivery.mailsink`) on 127.0.0.1 and mails go there, stored as
a Maildir under ``var/mail`` where the demo's staff page shows them. Production: set the host
of the regulator's mail relay.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class DeliverySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", extra="ignore")

    smtp_host: str | None = None  # None: the embedded local SMTP server
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = Field(default="notices@regulator.example", max_length=254)
    smtp_timeout_s: float = Field(default=30.0, gt=0, le=600)
    # the embedded server (started with the demo unless set): port 0 picks a free one
    mail_sink: bool | None = None
    mail_sink_port: int = Field(default=8025, ge=0, le=65535)
    mail_dir: Path | None = None  # default: var_dir / "mail"

    webhook_timeout_s: float = Field(default=10.0, gt=0, le=120)
    # a CA bundle (PEM) to trust besides the system's: local receivers in tests and demos
    webhook_ca_file: Path | None = None
    # refuse endpoints on loopback/private addresses unless allowed (tests, demo)
    webhook_allow_private: bool = False

    # retries: base · 2^(n-1) seconds, capped, until retry_for_s has passed since the first try
    delivery_retry_base_s: float = Field(default=30.0, gt=0, le=86_400)
    delivery_retry_max_s: float = Field(default=6 * 3600.0, gt=0, le=7 * 86_400)
    delivery_retry_for_s: float = Field(default=26 * 3600.0, gt=0, le=30 * 86_400)
    delivery_dispatch_interval_s: int = Field(default=2, ge=1, le=3600)
    # a claimed delivery whose worker has not finished in this time is tried again
    delivery_claim_timeout_s: float = Field(default=300.0, gt=0)

    @property
    def embedded_smtp(self) -> bool:
        return not self.smtp_host


@lru_cache(maxsize=1)
def get_delivery_settings() -> DeliverySettings:
    return DeliverySettings()


def mail_dir() -> Path:
    from audit.settings import get_settings

    return get_delivery_settings().mail_dir or get_settings().var_dir / "mail"
