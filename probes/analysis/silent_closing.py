"""The words of a silent call (seed 001 §6.3.4; seed 002 情景2), from its transcript.

The audio judge (:mod:`probes.analysis.silent_call`) counts greetings and measures pauses;
only the transcript shows whether the agent closed the call properly ("非常抱歉,您的电话
没有声音,请您换一部电话再打来,再见!") after its prompts. Phrases are the checklist's
``silent_call.prompt`` and ``silent_call.closing`` elements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from probes.analysis.phrases import Match, Mode, PhraseBook, Text

PROMPT = "silent_call.prompt"
CLOSING = "silent_call.closing"
OFFER = "offer_of_help"  # a repeated greeting's offer of help is a prompt too


@dataclass(frozen=True)
class ClosingResult:
    prompts_heard: int  # transcript lines holding a prompt (greeting, "can you hear me?")
    closing: bool  # a closing phrase after the last prompt
    matches: tuple[Match, ...]

    def measures(self) -> dict[str, Any]:
        return {
            "silent_call": {
                "closing": self.closing,
                "prompts_heard": self.prompts_heard,
                "phrase_matches": [m.to_json() for m in self.matches],
            }
        }


def judge_closing(lines: Sequence[str], book: PhraseBook, *, mode: Mode = "voice") -> ClosingResult:
    """Prompts and closing in the agent's transcript lines (in the order spoken)."""
    text = Text.of(list(lines))
    prompts = [
        m for name in (PROMPT, OFFER) if book.has(name) for m in book.find(name, text, mode=mode)
    ]
    closings = book.find(CLOSING, text, mode=mode) if book.has(CLOSING) else []
    last_prompt = max(((m.segment, m.start) for m in prompts), default=(-1, -1))
    # The closing ends the protocol: it counts when nothing prompts again after it, in a
    # later line or later in the same line ("听不到您的声音,您能听到我说话吗" still prompts).
    closing = [m for m in closings if (m.segment, m.start) > last_prompt]
    return ClosingResult(
        prompts_heard=len(
            {m.segment for m in prompts if m.segment not in {c.segment for c in closing}}
        ),
        closing=bool(closing),
        matches=tuple(sorted([*prompts, *closing], key=lambda m: (m.segment, m.start))),
    )
