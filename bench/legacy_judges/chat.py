"""FROZEN pre-issue-18 judge (commit ff87159), the reference of bench/judging_accuracy.py.

Pure analysers for a chat transcript (seed 000 scorecard, domain.md §3).

``analyse_chat(transcript, rules)`` returns the measures named in ``checklists/measures.py``
(first_response_seconds, max_reply_seconds, unapologised_long_waits, forbidden_phrases,
taboos, greeting_ok, courtesy_ok, closing_ok, last_message_from) plus the details a reviewer
needs to see why (every reply delay, every long wait).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from legacy_judges.chat_phrases import (
    COURTESY_ADDRESS,
    CUSTOMER_OPENERS,
    TABOO_NO_REPLY,
    TABOO_TOMORROW,
    ChatRules,
    contains_any,
    is_non_answer,
    normalise,
)
from probes.analysis.chat_transcript import Message, Transcript

TABOO_NOT_TO_REPLY = "told_not_to_reply"  # seed 000 §四.1
TABOO_COME_BACK_TOMORROW = "sent_away_until_tomorrow"  # seed 000 §四.2


@dataclass(frozen=True)
class ReplyDelay:
    customer_index: int  # first unanswered customer message
    agent_index: int
    seconds: float


@dataclass(frozen=True)
class LongWait:
    start_index: int  # the customer message or the agent's "please wait" that opened the wait
    end_index: int | None  # the agent message that ended it (None: still waiting at the end)
    seconds: float
    apologised: bool


@dataclass
class ChatAnalysis:
    first_response_seconds: float | None
    max_reply_seconds: float | None
    unapologised_long_waits: int
    forbidden_phrases: list[str]
    taboos: list[str]
    greeting_ok: bool
    courtesy_ok: bool
    closing_ok: bool
    last_message_from: str | None
    customer_opened_with_question: bool | None = None
    reply_delays: list[ReplyDelay] = field(default_factory=list)
    long_waits: list[LongWait] = field(default_factory=list)
    unanswered_wait_seconds: float | None = None

    def measures(self) -> dict[str, Any]:
        """The flat measure mapping (names from ``checklists/measures.py``)."""
        return {
            "first_response_seconds": _round(self.first_response_seconds),
            "max_reply_seconds": _round(self.max_reply_seconds),
            "unapologised_long_waits": self.unapologised_long_waits,
            "forbidden_phrases": list(self.forbidden_phrases),
            "taboos": list(self.taboos),
            "greeting_ok": self.greeting_ok,
            "courtesy_ok": self.courtesy_ok,
            "closing_ok": self.closing_ok,
            "last_message_from": self.last_message_from,
        }

    def details(self) -> dict[str, Any]:
        return {
            "customer_opened_with_question": self.customer_opened_with_question,
            "reply_delays": [asdict(r) for r in self.reply_delays],
            "long_waits": [asdict(w) for w in self.long_waits],
            "unanswered_wait_seconds": _round(self.unanswered_wait_seconds),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _secs(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds()


def opened_with_question(text: str) -> bool:
    """Did the customer state a problem, rather than only say hello ("在吗?")?"""
    rest = normalise(text)
    for opener in sorted((normalise(o) for o in CUSTOMER_OPENERS), key=len, reverse=True):
        rest = rest.replace(opener, "")
    return bool(rest)


def _agent_burst(msgs: tuple[Message, ...], start: int) -> list[Message]:
    """Agent messages from ``start`` up to the next customer message."""
    out: list[Message] = []
    for m in msgs[start:]:
        if m.sender != "agent":
            break
        out.append(m)
    return out


def _greeting_ok(
    t: Transcript, rules: ChatRules, first_agent: int | None
) -> tuple[bool, bool | None]:
    if first_agent is None:
        return False, None
    before = [m for m in t.messages[:first_agent] if m.sender == "customer"]
    asked = any(opened_with_question(m.text) for m in before)
    burst = " ".join(m.text for m in _agent_burst(t.messages, first_agent))
    if asked:
        # Seed 000 §二.3: a short "亲,您好" or a direct answer; the full welcome annoys customers.
        return not contains_any(burst, rules.welcome_words), True
    full = (
        bool(contains_any(burst, rules.salutations))
        and bool(contains_any(burst, rules.welcome_words))
        and bool(contains_any(burst, rules.offer_of_help))
    )
    return full, False


def _says_tomorrow(text: str, rules: ChatRules) -> bool:
    found = TABOO_TOMORROW.search(normalise(text))
    return bool(found or contains_any(text, rules.tomorrow_phrases))


def _sent_away(t: Transcript, rules: ChatRules) -> bool:
    """Seed 000 §四.2: after the customer stated a question, the agent's reply is only
    "come back tomorrow" (plus greetings) with no answer before it."""
    msgs = t.messages
    for i, m in enumerate(msgs):
        if m.sender != "customer" or not opened_with_question(m.text):
            continue
        for reply in _agent_burst(msgs, i + 1):
            sentences = [s for s in re.split(r"[。！!？?;；\n]+|[,，]", reply.text) if s.strip()]
            if _says_tomorrow(reply.text, rules):
                answered = [
                    s for s in sentences if not _says_tomorrow(s, rules) and not is_non_answer(s)
                ]
                if not answered:
                    return True
                break
            if any(not is_non_answer(s) for s in sentences):
                break  # a real answer came first
    return False


def analyse_chat(t: Transcript, rules: ChatRules | None = None) -> ChatAnalysis:
    rules = rules or ChatRules()
    msgs = t.messages
    agent_idx = [i for i, m in enumerate(msgs) if m.sender == "agent"]
    first_agent = agent_idx[0] if agent_idx else None

    first_response: float | None = None
    if first_agent is not None:
        customers_before = [m for m in msgs[:first_agent] if m.sender == "customer"]
        if customers_before:
            first_response = _secs(customers_before[0].at, msgs[first_agent].at)
        elif t.opened_at is not None:
            first_response = _secs(t.opened_at, msgs[first_agent].at)
        else:
            first_response = 0.0  # the agent spoke first; the open time was not recorded

    delays: list[ReplyDelay] = []
    waits: list[LongWait] = []
    pending: int | None = None  # first unanswered customer message
    for i, m in enumerate(msgs):
        if m.sender == "customer":
            if pending is None:
                pending = i
            continue
        start: int | None = pending
        after_hold = i > 0 and msgs[i - 1].sender == "agent"
        if start is None and after_hold and contains_any(msgs[i - 1].text, rules.hold_phrases):
            start = i - 1  # the agent asked the customer to wait, then came back
        if pending is not None:
            delays.append(ReplyDelay(pending, i, _secs(msgs[pending].at, m.at)))
            pending = None
        if start is not None:
            seconds = _secs(msgs[start].at, m.at)
            if seconds > rules.long_wait_s:
                burst = " ".join(b.text for b in _agent_burst(msgs, i))
                apologised = bool(contains_any(burst, rules.apologies))
                waits.append(LongWait(start, i, seconds, apologised))

    end_time = t.ended_at or (msgs[-1].at if msgs else None)
    trailing_start: int | None = pending
    ends_on_hold = bool(msgs) and msgs[-1].sender == "agent"
    if trailing_start is None and ends_on_hold and contains_any(msgs[-1].text, rules.hold_phrases):
        trailing_start = len(msgs) - 1
    unanswered: float | None = None
    if trailing_start is not None and end_time is not None:
        seconds = _secs(msgs[trailing_start].at, end_time)
        if pending is not None:
            unanswered = seconds
        if seconds > rules.long_wait_s:
            waits.append(LongWait(trailing_start, None, seconds, False))

    agent_text = [m.text for m in msgs if m.sender == "agent"]
    forbidden: list[str] = []
    for text in agent_text:
        for phrase in contains_any(text, rules.forbidden_phrases):
            if phrase not in forbidden:
                forbidden.append(phrase)

    taboos: list[str] = []
    if any(
        TABOO_NO_REPLY.search(normalise(text)) or contains_any(text, rules.not_to_reply_phrases)
        for text in agent_text
    ):
        taboos.append(TABOO_NOT_TO_REPLY)
    if _sent_away(t, rules):
        taboos.append(TABOO_COME_BACK_TOMORROW)

    greeting_ok, asked = _greeting_ok(t, rules, first_agent)
    all_agent = " ".join(agent_text)
    courtesy_ok = bool(contains_any(all_agent, COURTESY_ADDRESS)) and bool(
        contains_any(all_agent, rules.courtesy_words)
    )
    last_from = msgs[-1].sender if msgs else None
    closing_ok = False
    if last_from == "agent":
        last_customer = max((i for i, m in enumerate(msgs) if m.sender == "customer"), default=-1)
        final = " ".join(m.text for m in msgs[last_customer + 1 :])
        closing_ok = bool(contains_any(final, rules.closings))

    return ChatAnalysis(
        first_response_seconds=first_response,
        # A message still unanswered when the probe stopped waited at least this long.
        max_reply_seconds=max(
            [d.seconds for d in delays] + ([unanswered] if unanswered is not None else []),
            default=None,
        ),
        unapologised_long_waits=sum(1 for w in waits if not w.apologised),
        forbidden_phrases=forbidden,
        taboos=taboos,
        greeting_ok=greeting_ok,
        courtesy_ok=courtesy_ok,
        closing_ok=closing_ok,
        last_message_from=last_from,
        customer_opened_with_question=asked,
        reply_delays=delays,
        long_waits=waits,
        unanswered_wait_seconds=unanswered,
    )
