"""Settings from ``AUDIT_*`` environment variables (documented in docs/configuration.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", extra="ignore")

    # database: sqlite:///ABSOLUTE/PATH.sqlite or postgresql://user[:pw]@host:port/db;
    # unset: var_dir/audit.sqlite (filled in by _default_database below)
    database_url: str = ""
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
    login_max_failures: int = 5  # per account in the window
    login_max_failures_per_address: int = 20  # per client address (password spraying)
    login_window_seconds: int = 300
    # reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-
    # separated); the client address is then the first untrusted hop from the right
    trusted_proxies: str = ""
    # signs the web forms' CSRF tokens; default: a random secret kept in var_dir/csrf-secret
    csrf_secret: SecretStr | None = None
    # keys the complainant-contact fingerprints; default: a random key in var_dir/contact-hash-key
    contact_hash_key: SecretStr | None = None

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
        if value and not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            scheme = value.partition(":")[0][:20]  # never echo the rest: it may hold a password
            raise ValueError(f"must start with sqlite:/// or postgresql:// (not {scheme!r})")
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        # the SQLite file lives with the other working data, wherever AUDIT_VAR_DIR puts it
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir.resolve() / 'audit.sqlite'}"
        return self

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        from audit.domain.accounts.clientaddr import parse_networks

        try:
            parse_networks(value)
        except ValueError as exc:
            raise ValueError(f"AUDIT_TRUSTED_PROXIES: {exc}") from None
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[Any, ...]:
        from audit.domain.accounts.clientaddr import parse_networks

        return parse_networks(self.trusted_proxies)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone {value[:64]!r} (e.g. Asia/Shanghai)") from None
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


def load_settings() -> Settings:
    """``get_settings``, with a bad value reported as one line naming its variable."""
    try:
        return get_settings()
    except ValidationError as exc:
        raise config_error(exc) from None


def config_error(exc: ValidationError) -> Exception:
    """The first problem of a settings ValidationError as a ConfigError naming its variable."""
    from audit.errors import ConfigError

    err = exc.errors()[0]
    name = "AUDIT_" + str(err["loc"][0]).upper() if err["loc"] else "AUDIT_*"
    return ConfigError(name, str(err["msg"]).removeprefix("Value error, "))
