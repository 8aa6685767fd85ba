"""The part of TwiML the simulator executes: what a silent probe call asks Twilio to do.

Supported: ``<Start><Transcription/></Start>`` (real-time transcription to a webhook),
``<Play digits="…"/>`` (DTMF), ``<Pause length="N"/>``, ``<Hangup/>``. Anything else is
refused with Twilio's error 12100 (document parse failure) rather than silently ignored: a
probe that asks for something the simulator cannot do must not look like it worked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

# Twilio plays each DTMF digit for about half a second; 'w' is a 0.5 s pause, 'W' 1 s.
DIGIT_SECONDS = 0.5
_DIGITS = re.compile(r"^[0-9*#wWA-D]{1,32}$")
MAX_TWIML_BYTES = 64_000  # Twilio's own limit for the Twiml parameter is 4,000 characters


class TwimlError(ValueError):
    """The TwiML cannot be executed; message says which element or attribute."""


@dataclass(frozen=True)
class Transcription:
    status_callback_url: str
    language_code: str = "en-US"
    track: str = "both_tracks"
    name: str | None = None
    partial_results: bool = False


@dataclass(frozen=True)
class Step:
    kind: str  # "digits" | "pause" | "hangup"
    seconds: float = 0.0
    digits: str = ""


@dataclass(frozen=True)
class CallScript:
    """What our side of the call does after the callee answers."""

    steps: list[Step] = field(default_factory=list)
    transcriptions: list[Transcription] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        """Seconds from answer until our side hangs up (TwiML running out also ends the call)."""
        total = 0.0
        for step in self.steps:
            if step.kind == "hangup":
                break
            total += step.seconds
        return total

    def digits_timeline(self) -> list[tuple[float, str]]:
        """(offset from answer, digit) for every DTMF key sent, 'w'/'W' being pauses."""
        out: list[tuple[float, str]] = []
        t = 0.0
        for step in self.steps:
            if step.kind == "hangup":
                break
            if step.kind == "digits":
                for ch in step.digits:
                    if ch == "w":
                        t += 0.5
                    elif ch == "W":
                        t += 1.0
                    else:
                        out.append((t, ch))
                        t += DIGIT_SECONDS
            else:
                t += step.seconds
        return out


def _digits_seconds(digits: str) -> float:
    return sum(0.5 if c == "w" else 1.0 if c == "W" else DIGIT_SECONDS for c in digits)


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def parse_twiml(text: str) -> CallScript:
    """Parse a TwiML document into a :class:`CallScript` or raise :class:`TwimlError`."""
    if len(text.encode("utf-8")) > MAX_TWIML_BYTES:
        raise TwimlError(f"TwiML longer than {MAX_TWIML_BYTES} bytes")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise TwimlError("TwiML must not declare a DOCTYPE or entities")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise TwimlError(f"TwiML is not well-formed XML: {exc}") from exc
    if root.tag != "Response":
        raise TwimlError(f"root element must be <Response>, not <{root.tag}>")
    steps: list[Step] = []
    transcriptions: list[Transcription] = []
    for el in root:
        if el.tag == "Start":
            for child in el:
                if child.tag != "Transcription":
                    raise TwimlError(f"<Start><{child.tag}> is not supported by the simulator")
                url = child.get("statusCallbackUrl")
                if not url or not url.startswith(("http://", "https://")):
                    raise TwimlError("<Transcription> needs an absolute statusCallbackUrl")
                transcriptions.append(
                    Transcription(
                        status_callback_url=url,
                        language_code=child.get("languageCode", "en-US"),
                        track=child.get("track", "both_tracks"),
                        name=child.get("name"),
                        partial_results=_bool(child.get("partialResults")),
                    )
                )
        elif el.tag == "Pause":
            raw = el.get("length", "1")
            try:
                length = int(raw)
            except ValueError as exc:
                raise TwimlError(f"<Pause length={raw!r}> must be a whole number") from exc
            if not 1 <= length <= 14400:
                raise TwimlError(f"<Pause length={length}> must be between 1 and 14400")
            steps.append(Step("pause", seconds=float(length)))
        elif el.tag == "Play":
            digits = el.get("digits")
            if digits is None:
                raise TwimlError("<Play> of media URLs is not supported; use digits=")
            if not _DIGITS.match(digits):
                raise TwimlError(f"<Play digits={digits!r}> has characters DTMF cannot send")
            steps.append(Step("digits", seconds=_digits_seconds(digits), digits=digits))
        elif el.tag == "Hangup":
            steps.append(Step("hangup"))
        else:
            raise TwimlError(f"<{el.tag}> is not supported by the simulator")
    return CallScript(steps=steps, transcriptions=transcriptions)
