"""Whether and how fast a probe call was answered, from its status events.

Twilio posts status callbacks (initiated, ringing, in-progress, completed, busy, no-answer,
failed, canceled); they may arrive twice or out of order, so the result depends only on the
set of events and their own timestamps, never on arrival order. Seed 002 §3.4: answer within
three rings; at the default cadence of 5 s a ring, three rings are 15 s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

Outcome = Literal["answered", "busy", "no_answer", "failed", "canceled"]

DEFAULT_RING_SECONDS = 5.0

# Twilio CallStatus values, plus the status-callback event name "answered" (= in-progress).
_STATUS = {
    "queued": "queued",
    "initiated": "initiated",
    "ringing": "ringing",
    "in-progress": "in-progress",
    "in_progress": "in-progress",
    "answered": "in-progress",
    "completed": "completed",
    "busy": "busy",
    "no-answer": "no-answer",
    "no_answer": "no-answer",
    "failed": "failed",
    "canceled": "canceled",
    "cancelled": "canceled",
}
# Every CallStatus (or event name) a status callback may carry: anything else is refused at
# the edge, since the answer analysis cannot judge a run that holds it.
CALL_STATUSES = frozenset(_STATUS)
_UNANSWERED: dict[str, Outcome] = {
    "busy": "busy",
    "no-answer": "no_answer",
    "failed": "failed",
    "canceled": "canceled",
}


class AnswerError(ValueError):
    """Events that cannot be judged: unknown status, naive time, contradictions."""


@dataclass(frozen=True)
class StatusEvent:
    status: str
    at: datetime  # when the status happened (timezone-aware), not when the callback arrived
    call_duration_s: float | None = None  # Twilio's CallDuration on ``completed``

    def __post_init__(self) -> None:
        if self.status not in _STATUS:
            raise AnswerError(
                f"unknown call status {self.status!r}; expected one of "
                + ", ".join(sorted(set(_STATUS.values())))
            )
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise AnswerError(f"status {self.status!r}: time {self.at.isoformat()} has no zone")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> StatusEvent:
        """From ``{"status": ..., "at": ISO 8601 or datetime, "call_duration_s": ...}``."""
        if "status" not in data or "at" not in data:
            raise AnswerError(f"status event needs 'status' and 'at': {dict(data)!r}")
        at = data["at"]
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError as exc:
                raise AnswerError(f"status event 'at' is not ISO 8601: {at!r}") from exc
        if not isinstance(at, datetime):
            raise AnswerError(f"status event 'at' must be a time, got {at!r}")
        duration = data.get("call_duration_s")
        return cls(str(data["status"]), at, None if duration is None else float(duration))


@dataclass(frozen=True)
class AnswerResult:
    outcome: Outcome | None  # None: the call has not ended and was not answered (yet)
    answer_seconds: float | None
    rings: int | None

    @property
    def answered(self) -> bool:
        return self.outcome == "answered"

    def measures(self) -> dict[str, Any]:
        """Measures under the names of ``checklists.measures``."""
        return {
            "outcome": self.outcome,
            "answered": self.answered,
            "answer_seconds": self.answer_seconds,
            "rings": self.rings,
        }


def rings_for(seconds: float, ring_seconds: float = DEFAULT_RING_SECONDS) -> int:
    """Rings heard before an answer after ``seconds``: a ring counts once it has started."""
    if ring_seconds <= 0:
        raise AnswerError(f"ring_seconds must be positive, got {ring_seconds}")
    # The small tolerance keeps 15.000000001 s (float noise) at three rings.
    return max(0, math.ceil(seconds / ring_seconds - 1e-6))


def analyze_answer(
    events: Iterable[StatusEvent | Mapping[str, Any]],
    *,
    ring_seconds: float = DEFAULT_RING_SECONDS,
) -> AnswerResult:
    """Outcome, seconds from ringing to answer and rings, from status events in any order."""
    rings_for(0.0, ring_seconds)  # validates the cadence before anything else
    first: dict[str, StatusEvent] = {}
    for raw in events:
        event = raw if isinstance(raw, StatusEvent) else StatusEvent.from_mapping(raw)
        status = _STATUS[event.status]
        # Duplicates (retried callbacks) collapse to the earliest report of each status.
        if status not in first or event.at < first[status].at:
            first[status] = event
    if "in-progress" in first or "completed" in first:
        answered_at = _answer_time(first)
        start = first.get("ringing") or first.get("initiated")
        if answered_at is None or start is None:
            return AnswerResult("answered", None, None)
        seconds = round(max((answered_at - start.at).total_seconds(), 0.0), 3)
        return AnswerResult("answered", seconds, rings_for(seconds, ring_seconds))
    endings = sorted(s for s in _UNANSWERED if s in first)
    if len(endings) > 1:
        raise AnswerError(f"conflicting final statuses for one call: {', '.join(endings)}")
    if endings:
        return AnswerResult(_UNANSWERED[endings[0]], None, None)
    return AnswerResult(None, None, None)


def _answer_time(first: Mapping[str, StatusEvent]) -> datetime | None:
    if "in-progress" in first:
        return first["in-progress"].at
    done = first["completed"]
    # Twilio's "completed" means answered and ended normally; when the answered callback was
    # lost, the answer time is the end minus the call's duration (unknown without it).
    if done.call_duration_s is None:
        return None
    return done.at - timedelta(seconds=done.call_duration_s)
