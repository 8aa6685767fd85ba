"""A chat transcript: who said what, and when.

The interchange format (the ``score-chat`` CLI contract, issue 5) is
``{"messages": [{"from": "customer"|"agent", "at": ISO8601, "text": ...}]}`` with two optional
top-level times our probes add: ``opened_at`` (the chat window was open and ready, so a silent
customer can measure how long the agent takes to greet) and ``ended_at`` (the probe stopped
watching). Bad input raises :class:`TranscriptError` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Sender = Literal["customer", "agent"]


class TranscriptError(ValueError):
    """The transcript is not valid; the message names the offending field."""


@dataclass(frozen=True)
class Message:
    sender: Sender
    at: datetime
    text: str


@dataclass(frozen=True)
class Transcript:
    messages: tuple[Message, ...]
    opened_at: datetime | None = None
    ended_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "messages": [
                {"from": m.sender, "at": _iso(m.at), "text": m.text} for m in self.messages
            ]
        }
        if self.opened_at is not None:
            out["opened_at"] = _iso(self.opened_at)
        if self.ended_at is not None:
            out["ended_at"] = _iso(self.ended_at)
        return out


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: Any, where: str) -> datetime:
    """ISO 8601 text to an aware datetime (a time without offset is taken as UTC)."""
    if not isinstance(value, str) or not value.strip():
        raise TranscriptError(f"{where}: expected an ISO 8601 time, got {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise TranscriptError(f"{where}: {value!r} is not an ISO 8601 time") from None
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def parse_transcript(data: Any) -> Transcript:
    """Validate decoded JSON and build a :class:`Transcript`.

    Messages must be in time order: a transcript whose times go backwards is a recording error,
    and reordering it silently could change who answered whom.
    """
    if not isinstance(data, dict):
        raise TranscriptError("transcript: expected a JSON object with a 'messages' list")
    raw = data.get("messages")
    if not isinstance(raw, list):
        raise TranscriptError("messages: expected a list")
    messages: list[Message] = []
    for i, item in enumerate(raw):
        where = f"messages[{i}]"
        if not isinstance(item, dict):
            raise TranscriptError(f"{where}: expected an object")
        unknown = set(item) - {"from", "at", "text"}
        if unknown:
            raise TranscriptError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        sender = item.get("from")
        if sender not in ("customer", "agent"):
            raise TranscriptError(f"{where}.from: expected 'customer' or 'agent', got {sender!r}")
        at = parse_time(item.get("at"), f"{where}.at")
        text = item.get("text")
        if not isinstance(text, str):
            raise TranscriptError(f"{where}.text: expected a string, got {text!r}")
        if messages and at < messages[-1].at:
            raise TranscriptError(f"{where}.at: {item['at']} is earlier than messages[{i - 1}].at")
        messages.append(Message(sender=sender, at=at, text=text))
    opened_at = ended_at = None
    if data.get("opened_at") is not None:
        opened_at = parse_time(data["opened_at"], "opened_at")
        if messages and messages[0].at < opened_at:
            raise TranscriptError("opened_at: later than the first message")
    if data.get("ended_at") is not None:
        ended_at = parse_time(data["ended_at"], "ended_at")
        if messages and ended_at < messages[-1].at:
            raise TranscriptError("ended_at: earlier than the last message")
    extra = {k: v for k, v in data.items() if k not in ("messages", "opened_at", "ended_at")}
    return Transcript(tuple(messages), opened_at=opened_at, ended_at=ended_at, extra=extra)
