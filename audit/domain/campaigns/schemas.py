"""API shapes of probe campaigns (hand-written pydantic)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from audit.domain.campaigns.windows import Window
from audit.validation import ApiIn, PlanningDate

# The probe kinds of probes.channels.registry (each a channel: voice, chat, SMS).
ProbeKind = Literal["voice_silent_call", "chat_script", "sms_query"]


class _In(ApiIn):
    model_config = ConfigDict(extra="forbid")


class TargetIn(_In):
    venue_id: int = Field(ge=1, le=2**31 - 1)
    # The number to call; default: the venue's first E.164 phone.
    number: str | None = Field(default=None, max_length=20)


class ScheduleIn(_In):
    """The schedule part of a campaign; seed and caller IDs default when left out."""

    timezone: str | None = Field(default=None, max_length=64)
    start_date: PlanningDate | None = None
    end_date: PlanningDate | None = None
    windows: list[Window] = Field(min_length=1, max_length=50)
    runs_per_target: int = Field(ge=1, le=10_000)
    min_spacing_s: int = Field(default=0, ge=0, le=365 * 86400)
    blackout_dates: list[PlanningDate] = Field(default_factory=list, max_length=1000)
    holiday_calendar: bool = True
    caller_ids: list[str] | None = Field(default=None, max_length=1000)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)


class CampaignIn(_In):
    plan_id: int = Field(ge=1, le=2**31 - 1)
    name: str = Field(min_length=1, max_length=200)
    probe_kind: ProbeKind = "voice_silent_call"
    # chat_script: the customer script each chat follows (default: the probing default)
    script_id: str | None = Field(default=None, min_length=1, max_length=100)
    targets: list[TargetIn] = Field(min_length=1, max_length=1000)
    schedule: ScheduleIn
    account: str = Field(default="default", min_length=1, max_length=64)
    listen_s: int = Field(default=40, ge=5, le=600)
    max_attempts: int = Field(default=3, ge=1, le=20)
    retry_delay_s: int = Field(default=60, ge=0, le=86400)
    service_level_s: float = Field(default=15.0, gt=0, le=3600)


class Transition(_In):
    action: Literal["schedule", "start", "pause", "resume", "cancel"]


class Progress(BaseModel):
    campaign_id: int
    status: str
    total: int
    planned: int
    queued: int
    running: int
    done: int
    failed: int
    canceled: int
    remaining: int
    answered: int
    attempts: int  # done runs with a telephony result
    answer_rate: float | None
