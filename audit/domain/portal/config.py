"""Portal settings (``AUDIT_PORTAL_*``), documented in docs/portal.md."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_PORTAL_", extra="ignore")

    # disputes: working days after delivery (China holiday calendar)
    dispute_working_days: int = Field(default=5, ge=1, le=60)
    # reminders before a deadline, in days (comma-separated in the environment)
    reminder_days: str = Field(default="3,1", max_length=100)
    # the follow-up notice gives this many working days from its drafting
    followup_working_days: int = Field(default=10, ge=1, le=90)
    # verification re-probe: window, and the sample size for the stated margin
    verification_window_days: float = Field(default=14.0, gt=0, le=90)
    verification_margin: float = Field(default=0.1, gt=0, lt=1)
    verification_confidence: float = Field(default=0.95, gt=0, lt=1)
    verification_expected_rate: float = Field(default=0.9, ge=0, le=1)
    verification_pass_rate: float = Field(default=0.9, gt=0, le=1)
    verification_max_runs: int = Field(default=200, ge=1, le=10_000)
    # how often the periodic jobs look (seconds)
    deadlines_interval_s: int = Field(default=60, ge=1, le=86_400)
    verification_interval_s: int = Field(default=15, ge=1, le=86_400)

    @field_validator("reminder_days")
    @classmethod
    def _days(cls, value: str) -> str:
        parts = [v.strip() for v in value.split(",") if v.strip()]
        if any(not p.isdigit() or int(p) < 1 for p in parts):
            raise ValueError(f"{value!r}: reminder days are whole days ≥ 1, e.g. 3,1")
        return value

    @property
    def reminders(self) -> list[int]:
        """Days before the deadline, largest first (``3,1`` → [3, 1])."""
        return sorted({int(v) for v in self.reminder_days.split(",") if v.strip()}, reverse=True)


@lru_cache(maxsize=1)
def get_portal_settings() -> PortalSettings:
    return PortalSettings()
