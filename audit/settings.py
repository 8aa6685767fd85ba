"""Settings from ``AUDIT_*`` environment variables (documented in docs/configuration.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", extra="ignore")

    # database: sqlite:///ABSOLUTE/PATH.sqlite or postgresql://user[:pw]@host:port/db
    database_url: str = f"sqlite:///{ROOT / 'var' / 'audit.sqlite'}"
    db_pool: bool = True  # PostgreSQL connection pool (off in tests: one pool per event loop)
    auto_migrate: bool = False  # migrate at start-up (the embedded default turns it on)
    demo: bool = False  # load demo data and start the local simulators at start-up
    demo_chat_port: int = 8001  # the demo chat site's port under `make run` (stable venue URLs)

    var_dir: Path = ROOT / "var"
    evidence_dir: Path | None = None  # default: var_dir / "evidence"
    max_upload_bytes: int = 50 * 1024 * 1024

    # the URL the outside world uses to reach us (Twilio signatures, QR codes)
    public_base_url: str = "http://127.0.0.1:8000"
    timezone: str = "Asia/Shanghai"
    authority_name: str = "示例省通信管理局"
    authority_name_en: str = "Example Provincial Communications Administration"
    # four eyes: approvers of notices and plans differ from their authors; false only for a
    # one-person office (every waived approval is written to the audit log)
    four_eyes: bool = True

    session_cookie: str = "audit_session"
    session_cookie_secure: bool = True
    session_ttl_hours: int = 12
    login_max_failures: int = 5
    login_window_seconds: int = 300
    # signs the web forms' CSRF tokens; default: a random secret kept in var_dir/csrf-secret
    csrf_secret: SecretStr | None = None

    log_level: str = "INFO"
    log_json: bool = False

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_api_base_url: str | None = None  # set to the local simulator's URL in embedded mode
    twilio_caller_ids: list[str] = Field(default_factory=list)

    signing_p12_path: Path | None = None
    signing_p12_passphrase: SecretStr | None = None
    tsa_url: str | None = None

    broker_url: str | None = None  # redis://host:6379/0 for distributed workers

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("AUDIT_DATABASE_URL must start with sqlite:/// or postgresql://")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone
        return value

    @property
    def evidence_path(self) -> Path:
        return self.evidence_dir or self.var_dir / "evidence"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:///")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
