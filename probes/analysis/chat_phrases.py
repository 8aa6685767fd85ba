"""Thresholds and phrases for judging a chat (seed 000 scorecard; seed 001 part 3).

The wording is the checklist's (online-chat: its items' ``phrases`` and its ``taboo_phrases``
and ``forbidden_phrases`` lists), matched by the phrase engine exactly after folding (people
type what they mean): traditional characters, full-width forms, punctuation, spaces and
fillers do not matter, so "抱歉，讓您久等了啦！" matches "抱歉,让您久等了". The thresholds
are defaults that a checklist's binding parameters override.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from checklists.schema import Checklist
from probes.analysis.checklist_source import CHAT_ID, shipped
from probes.analysis.phrases import PhraseBook


@lru_cache(maxsize=1)
def default_book() -> PhraseBook:
    """The shipped online-chat checklist's phrases."""
    return PhraseBook.from_checklist(shipped(CHAT_ID))


@dataclass(frozen=True)
class ChatRules:
    """Thresholds and phrases; defaults follow seed 000 (45 s first response, 3 min per reply,
    2 min waits need an apology). A checklist overrides them through its parameters."""

    first_response_limit_s: float = 45.0
    # Seed 000 §二.2: 60 s when the venue declares more than 300 sessions a day.
    high_volume_first_response_limit_s: float = 60.0
    high_volume_sessions_per_day: int = 300
    reply_limit_s: float = 180.0
    long_wait_s: float = 120.0
    book: PhraseBook = field(default_factory=default_book, compare=False, repr=False)
    forbidden_lists: tuple[str, ...] = ("forbidden_phrases",)
    taboo_list: str = "taboo_phrases"
    extra: dict[str, Any] = field(default_factory=dict)

    def effective_first_response_limit(self, sessions_per_day: int | None) -> float:
        if sessions_per_day is not None and sessions_per_day > self.high_volume_sessions_per_day:
            return self.high_volume_first_response_limit_s
        return self.first_response_limit_s

    def with_params(self, params: dict[str, Any]) -> ChatRules:
        """Override thresholds from a checklist's parameter mapping (unknown keys are an error)."""
        known = {
            "first_response_limit_s",
            "high_volume_first_response_limit_s",
            "high_volume_sessions_per_day",
            "reply_limit_s",
            "long_wait_s",
        }
        changes: dict[str, Any] = {}
        for key, value in params.items():
            if key not in known:
                raise ValueError(f"unknown chat rule parameter {key!r}")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"chat rule parameter {key!r}: expected a number")
            changes[key] = type(getattr(self, key))(value)
        return replace(self, **changes)


def chat_rules(cl: Checklist, base: ChatRules | None = None) -> ChatRules:
    """Rules of ``cl``: its phrases (the shipped online-chat ones where it defines none) and
    its bindings' ``long_wait_s``."""
    rules = base or ChatRules()
    fallback = None if cl.id == CHAT_ID else default_book()
    rules = replace(rules, book=PhraseBook.from_checklist(cl, fallback))
    for item in cl.items():
        b = item.measure
        if b is not None and isinstance(b.params.get("long_wait_s"), int | float):
            rules = replace(rules, long_wait_s=float(b.params["long_wait_s"]))  # type: ignore[arg-type]
    return rules
