"""Scenario files: how each simulated contact centre behaves when it is called.

A scenario file (YAML or JSON) maps called numbers (E.164) to the behaviour of the contact
centre behind them: whether it answers and after how many rings, what the agent says into a
silent line, the pauses between, and when the agent hangs up. The ``default`` entry, when
present, serves every number not listed. Errors name the file, line and field.

The silent-call protocol the agents follow (or break) is seed 001 §6.3.4: greeting three times,
about 5 s apart, then hang up; late answers (after three rings, seed 002 §3.4) need an apology
(seed 001 §6.6.1).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checklists.yamlsrc import YamlSyntaxError, load_located

E164 = re.compile(r"^\+[1-9]\d{6,14}$")

# Twilio error codes the simulator can be told to answer a create-call request with.
RejectCode = Literal[21211, 21214, 20429, 20003, 21215, 21216]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Utterance(_Strict):
    """One thing the agent says, then the silence the agent leaves before going on."""

    text: str = Field(min_length=1)
    then_wait_s: float = Field(default=5.0, ge=0.0, le=600.0)


class Background(_Strict):
    """Neighbouring agents heard faintly on the line (real call-centre recordings have them)."""

    # What they say (empty: the stock chatter of probes.audio.synth), relative level in dB.
    texts: list[str] = Field(default_factory=list)
    level_db: float = Field(default=-18.0, le=0.0, ge=-60.0)


class Reject(_Strict):
    """Answer the create-call request with a Twilio error instead of placing the call."""

    code: RejectCode
    # Reject only the first N attempts (a transient rate limit), or every attempt when None.
    times: int | None = Field(default=None, ge=1)


class CallbackFaults(_Strict):
    """Network weather for the app's webhooks: duplicates and reordering happen on the internet."""

    order: Literal["in_order", "reversed"] = "in_order"
    duplicate: bool = False
    lost: bool = False  # no webhook ever arrives (the app must ask the REST API instead)


class SmsReply(_Strict):
    """A text message the service number sends back, this long after ours was delivered."""

    text: str = Field(min_length=1, max_length=1600)
    after_s: float = Field(default=5.0, ge=0.0, le=86400.0)


class SmsScenario(_Strict):
    """How the number takes a text message (Twilio Messaging): whether it arrives, and what
    comes back. Without an ``sms`` entry a message is delivered and never answered."""

    delivery: Literal["delivered", "undelivered", "failed"] = "delivered"
    replies: list[SmsReply] = Field(default_factory=list)
    callbacks_lost: bool = False  # no webhook arrives (the app must ask the REST API)


class NumberScenario(_Strict):
    """Behaviour of the contact centre behind one called number."""

    label: str = ""
    outcome: Literal["answer", "busy", "no-answer", "failed"] = "answer"
    # Rings before pick-up; fractional rings are allowed (an agent picks up mid-ring).
    answer_after_rings: float = Field(default=1.0, ge=0.0, le=120.0)
    ring_seconds: float | None = Field(default=None, gt=0.0, le=30.0)
    # Seconds from answer to the first word (agents take a breath).
    first_words_after_s: float = Field(default=0.5, ge=0.0, le=60.0)
    utterances: list[Utterance] = Field(default_factory=list)
    # After the last utterance and its wait: does the agent hang up, or stay on the line?
    agent_hangs_up: bool = True
    # An IVR that only hands the call to a human after these DTMF digits (None: straight to agent).
    ivr_digits: str | None = None
    ivr_prompt: str | None = None
    background: Background | None = None
    reject: Reject | None = None
    callbacks: CallbackFaults = CallbackFaults()
    # Media faults: serve the recording cut short, empty, or as bytes that are no audio at all.
    recording_fault: Literal["truncated", "empty", "garbage"] | None = None
    sms: SmsScenario | None = None

    @field_validator("ivr_digits")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9*#]{1,32}", value):
            raise ValueError("ivr_digits must be 1-32 of 0-9, * and #")
        return value


class ScenarioSet(_Strict):
    """All scenarios of one simulator: numbers → behaviour, plus file-wide defaults."""

    ring_seconds: float = Field(default=5.0, gt=0.0, le=30.0)
    numbers: dict[str, NumberScenario] = Field(default_factory=dict)
    default: NumberScenario | None = None

    @field_validator("numbers")
    @classmethod
    def _e164(cls, value: dict[str, NumberScenario]) -> dict[str, NumberScenario]:
        for number in value:
            if not E164.match(number):
                raise ValueError(f"{number!r} is not an E.164 number (+ and 7-15 digits)")
        return value

    def for_number(self, number: str) -> NumberScenario | None:
        return self.numbers.get(number, self.default)

    def ring_seconds_for(self, scenario: NumberScenario) -> float:
        return scenario.ring_seconds if scenario.ring_seconds is not None else self.ring_seconds


class ScenarioError(ValueError):
    """A scenario file is unreadable or invalid; the message names file, line and field."""


def parse_scenarios(data: Any, *, source: str = "scenarios", lines: Any = None) -> ScenarioSet:
    """Validate already-loaded scenario data (a mapping) into a :class:`ScenarioSet`."""
    try:
        return ScenarioSet.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = f"{source}:{lines.line_of(loc)}" if lines is not None else source
        field = ".".join(str(p) for p in loc) or "(top level)"
        raise ScenarioError(f"{where}: {field}: {first['msg']}") from exc


def load_scenarios(path: str | Path) -> ScenarioSet:
    """Load a scenario file (``.yaml``/``.yml`` or ``.json``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    if p.suffix == ".json":
        try:
            return parse_scenarios(json.loads(text), source=str(p))
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"{p}:{exc.lineno}: not JSON: {exc.msg}") from exc
    try:
        located = load_located(text)
    except YamlSyntaxError as exc:
        raise ScenarioError(f"{p}:{exc.line}: {exc.message}") from exc
    if located.duplicate_keys:
        key_path, line = located.duplicate_keys[0]
        raise ScenarioError(f"{p}:{line}: duplicate key {'.'.join(map(str, key_path))}")
    return parse_scenarios(located.data, source=str(p), lines=located)


DEMO_SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios" / "demo.yaml"


def load_demo_scenarios() -> ScenarioSet:
    """The demo contact centres shipped with the project (``probes/scenarios/demo.yaml``)."""
    return load_scenarios(DEMO_SCENARIOS)
