"""API shapes for probe runs, Twilio webhooks and manual analyses (hand-written)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from litestar.datastructures import UploadFile
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from audit.validation import ApiIn, ObservedDatetime, StoredObject
from checklists.phrases import PatternError, escape, parse_pattern

E164 = r"^\+[1-9]\d{6,14}$"


def _literal_phrase(text: str) -> str:
    """A phrase matched literally must say something: an all-blank one (spaces, U+3000, a
    separator control) is no pattern (it was a 500 from the phrase engine)."""
    try:
        parse_pattern(escape(text))
    except PatternError as exc:
        raise ValueError(f"not a phrase ({exc}): it needs a visible character") from None
    return text


LiteralPhrase = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500, pattern=r"\S"),
    AfterValidator(_literal_phrase),
]


class StartVoiceRun(ApiIn):
    """Start a voice probe: against a venue (its first phone), an inspection's venue, or a
    number. The measures go to the inspection's voice-bound items when one is given."""

    model_config = ConfigDict(extra="forbid")

    venue_id: int | None = Field(default=None, gt=0, le=2_147_483_647)
    inspection_id: int | None = Field(default=None, gt=0, le=2_147_483_647)
    plan_id: int | None = Field(default=None, gt=0, le=2_147_483_647)
    target: str | None = Field(default=None, pattern=E164, max_length=16)
    caller_id: str | None = Field(default=None, pattern=E164, max_length=16)
    company: str | None = Field(default=None, max_length=200)
    listen_s: int = Field(default=40, ge=5, le=600)
    dtmf: str | None = Field(default=None, pattern=r"^[0-9*#wW]{1,32}$")
    ring_seconds: float = Field(default=5.0, gt=0, le=30)
    campaign_run_id: int | None = Field(default=None, gt=0, le=2_147_483_647)


class ProbeRunOut(BaseModel):
    id: int
    kind: str
    status: str
    venue_id: int | None
    operator_id: int | None
    plan_id: int | None
    inspection_id: int | None
    campaign_run_id: int | None
    target: str
    caller_id: str | None
    covert: bool
    provider: str
    provider_ref: str | None
    outcome: str | None
    params: StoredObject
    measures: StoredObject | None
    observations: StoredObject | None
    item_results: list[StoredObject]
    evidence_ids: list[int]
    error_code: int | None
    error_reason: str | None
    error_permanent: bool | None
    created_by_id: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    updated_at: dt.datetime


class RecordingForm(ApiIn):
    """multipart/form-data: a recording made by hand (WAV at any rate, MP3, M4A/AAC, AMR),
    and optional protocol parameters (default: the hotline checklist's)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    file: UploadFile
    channel: int | None = Field(default=None, ge=0, le=7)
    # Skip an IVR menu: sound before this second is not judged (default: after the probe's
    # last DTMF digit on a stereo recording, else 0).
    start_s: float | None = Field(default=None, ge=0, le=3600)
    # How long the caller meant to listen: a recording that lasted that long was ended by
    # the caller, so an unfinished protocol is inconclusive rather than the agent's fault.
    listen_s: float | None = Field(default=None, gt=0, le=3600)
    repetitions: int | None = Field(default=None, ge=1, le=10)
    pause_min_s: float | None = Field(default=None, ge=0, le=60)
    pause_max_s: float | None = Field(default=None, ge=0, le=120)
    final_wait_min_s: float | None = Field(default=None, ge=0, le=120)
    min_silence_s: float | None = Field(default=None, gt=0, le=10)


class TranscriptIn(ApiIn):
    """A greeting transcript to score (``audit probes score-greeting`` as an API)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000)
    at: ObservedDatetime
    company: str | None = Field(default=None, max_length=200)
    answered_after_s: float | None = Field(default=None, ge=0, le=3600)
    # The checklist version whose phrases judge (default: the shipped hotline checklist).
    checklist_version_id: int | None = Field(default=None, gt=0, le=2_147_483_647)
    # Literal phrases forbidden on top of the checklist's lists.
    forbidden_phrases: list[LiteralPhrase] | None = Field(default=None, max_length=500)


class SilentCallOut(BaseModel):
    utterances: list[dict[str, float]]
    pauses_s: list[float]
    final_wait_s: float | None
    verdict: Literal["pass", "fail", "inconclusive"]
    reasons: list[str]


class PhraseMatchOut(BaseModel):
    """Which pattern of which element matched where (``start``/``end``: character offsets
    in the text as given), and how: exact, by sound (pinyin) or fuzzy (with its score)."""

    element: str
    pattern: str
    segment: int
    start: int
    end: int
    text: str
    how: Literal["exact", "pinyin", "fuzzy"]
    score: float | None = None


class GreetingOut(BaseModel):
    elements: dict[str, bool | None]
    forbidden_phrases: list[str]
    verdict: Literal["pass", "fail"]
    reasons: list[str]
    matches: list[PhraseMatchOut]
