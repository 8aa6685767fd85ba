"""Job and rate-control settings (``AUDIT_*`` environment variables), see docs/deployment.md."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from audit.jobs.ratelimit import RateLimits


class JobSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", extra="ignore")

    # Rate control per telephony account, shared by every worker (Twilio's default is 1 CPS).
    calls_per_second: float = Field(default=1.0, gt=0, le=1000)
    calls_burst: int = Field(default=1, ge=1, le=1000)
    max_concurrent_calls: int = Field(default=10, ge=1, le=100_000)
    per_target_concurrent_calls: int = Field(default=1, ge=1, le=1000)
    per_target_min_interval_s: float = Field(default=0.0, ge=0)
    call_lease_s: float = Field(default=60.0, gt=0)  # renewed every heartbeat while a call lasts
    rate_limit_wait_s: float = Field(default=600.0, gt=0)  # give up waiting for a slot

    # Redis names (several deployments or test runs can share one Redis).
    broker_queue: str = Field(default="audit:jobs", min_length=1, max_length=100)
    rate_prefix: str = Field(default="audit:rate", min_length=1, max_length=100)

    # Embedded mode (no AUDIT_BROKER_URL): run the job scheduler inside the web app.
    embedded_jobs: bool = True

    # Scheduler ticks (seconds; Taskiq interval schedules are whole seconds).
    dispatch_interval_s: int = Field(default=1, ge=1, le=3600)
    reconcile_interval_s: int = Field(default=15, ge=1, le=3600)
    # A running run whose worker has not reported for this long is reconciled.
    stale_after_s: float = Field(default=60.0, gt=0)
    # A queued run not claimed within this time is sent again (a lost broker message).
    requeue_after_s: float = Field(default=30.0, gt=0)
    heartbeat_s: float = Field(default=5.0, gt=0)
    # Seconds after starting a probe before the worker stops trusting webhooks alone and asks
    # the provider how the call went (default: the probe's listening time + 90 s).
    result_timeout_s: float | None = Field(default=None, gt=0)
    # How often a worker looks whether a probe it started has finished (one query per run).
    result_poll_s: float = Field(default=1.0, gt=0, le=60)
    dispatch_batch: int = Field(default=500, ge=1, le=100_000)
    # How often the complaints sweep drafts the follow-ups a crash left pending (also at start).
    followup_sweep_interval_s: int = Field(default=300, ge=1, le=86400)
    # Probe runs whose finish job was lost (left analysing this long) get it re-sent.
    probe_sweep_interval_s: int = Field(default=30, ge=1, le=3600)
    probe_sweep_after_s: float = Field(default=120.0, gt=0)

    # Numbers the regulator publishes as its own: never a covert caller ID (comma-separated).
    published_numbers: str = ""

    @property
    def published(self) -> list[str]:
        return [n.strip() for n in self.published_numbers.split(",") if n.strip()]

    def rate_limits(self) -> RateLimits:
        return RateLimits(
            cps=self.calls_per_second,
            burst=self.calls_burst,
            max_concurrent=self.max_concurrent_calls,
            per_target_concurrent=self.per_target_concurrent_calls,
            per_target_min_interval_s=self.per_target_min_interval_s,
            lease_s=self.call_lease_s,
        )


@lru_cache(maxsize=1)
def get_job_settings() -> JobSettings:
    return JobSettings()
