"""What one chat probe run observed.

Outcomes: ``completed`` (the script ran; an agent who never answered is a *finding*, seen in
the transcript), ``target_unreachable`` (the operator's page or chat did not come up: network
error, HTTP error, the chat never opened), ``probe_error`` (our side broke: a selector of the
profile matches nothing, the browser crashed, the run hit its hard time cap). Only
``completed`` runs are scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from probes.analysis.chat_transcript import Transcript

Outcome = Literal["completed", "target_unreachable", "probe_error"]


@dataclass(frozen=True)
class Screenshot:
    label: str  # start | first_reply | end | error
    path: str
    sha256: str
    taken_at: datetime


@dataclass
class ChatProbeResult:
    outcome: Outcome
    reason: str | None
    transcript: Transcript
    started_at: datetime
    finished_at: datetime
    screenshots: list[Screenshot] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def agent_answered(self) -> bool:
        return any(m.sender == "agent" for m in self.transcript.messages)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "reason": self.reason,
            "transcript": self.transcript.to_json(),
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "screenshots": [
                {
                    "label": s.label,
                    "path": s.path,
                    "sha256": s.sha256,
                    "taken_at": s.taken_at.isoformat(),
                }
                for s in self.screenshots
            ],
            "warnings": list(self.warnings),
        }


class ProbeFailure(Exception):
    """Ends a run early with a non-completed outcome."""

    def __init__(self, outcome: Outcome, reason: str) -> None:
        super().__init__(reason)
        self.outcome: Outcome = outcome
        self.reason = reason
