"""Pure analysers for a chat transcript (seed 000 scorecard, domain.md §3).

``analyse_chat(transcript, rules)`` returns the measures named in ``checklists/measures.py``
(first_response_seconds, max_reply_seconds, unapologised_long_waits, forbidden_phrases,
taboos, greeting_ok, courtesy_ok, closing_ok, last_message_from) plus the details a reviewer
needs to see why (every reply delay, every long wait, every phrase matched and where).
The transcript is folded once and every phrase element is looked for in all of it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from probes.analysis.chat_phrases import ChatRules
from probes.analysis.chat_transcript import Message, Transcript
from probes.analysis.phrases import Match, PhraseBook, Text, flat

TABOO_NOT_TO_REPLY = "told_not_to_reply"  # seed 000 §四.1
TABOO_COME_BACK_TOMORROW = "sent_away_until_tomorrow"  # seed 000 §四.2
_SENTENCES = re.compile(r"[。！!？?;；\n]+|[,，]")


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
    matches: list[Match] = field(default_factory=list)

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
            # segment = index of the message; start/end: characters of its text
            "phrase_matches": [m.to_json() for m in self.matches],
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _secs(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds()


def _remainder(text: str, matches: list[Match]) -> str:
    """``text`` folded, without the spans matched."""
    keep = [True] * len(text)
    for m in matches:
        for i in range(m.start, m.end):
            keep[i] = False
    return flat("".join(ch for ch, k in zip(text, keep, strict=True) if k))


def opened_with_question(text: str, rules: ChatRules | None = None) -> bool:
    """Did the customer state a problem, rather than only say hello ("在吗?")?"""
    book = (rules or ChatRules()).book
    return bool(_remainder(text, book.find("customer_opener", Text.of(text))))


def _is_non_answer(sentence: str, book: PhraseBook) -> bool:
    """True for a sentence that is only greeting/courtesy filler."""
    return not _remainder(sentence, book.find("non_answer", Text.of(sentence)))


def _agent_burst(msgs: tuple[Message, ...], start: int) -> list[int]:
    """Indexes of the agent messages from ``start`` up to the next customer message."""
    out: list[int] = []
    for i in range(start, len(msgs)):
        if msgs[i].sender != "agent":
            break
        out.append(i)
    return out


class _Found:
    """Where each element occurs in the transcript (message indexes), found once."""

    def __init__(self, t: Transcript, rules: ChatRules) -> None:
        self.book = rules.book
        self.rules = rules
        self.text = Text.of([m.text for m in t.messages])
        self.agent = {i for i, m in enumerate(t.messages) if m.sender == "agent"}
        self.matches: list[Match] = []
        self._cache: dict[str, set[int]] = {}
        self._asked: dict[int, bool] | None = None
        self.t = t

    def asked(self, i: int) -> bool:
        """Did customer message ``i`` state a problem (more than "在吗")? One pass over the
        whole transcript finds every opener."""
        if self._asked is None:
            customers = [k for k, m in enumerate(self.t.messages) if m.sender == "customer"]
            by_seg: dict[int, list[Match]] = {k: [] for k in customers}
            if self.book.has("customer_opener"):
                for m in self.book.find("customer_opener", self.text, segments=customers):
                    by_seg[m.segment].append(m)
            self._asked = {
                k: bool(_remainder(self.t.messages[k].text, ms)) for k, ms in by_seg.items()
            }
        return self._asked.get(i, False)

    def __call__(self, name: str) -> set[int]:
        if name not in self._cache:
            found = (
                self.book.find(name, self.text, segments=self.agent) if self.book.has(name) else []
            )
            self.matches.extend(found)
            self._cache[name] = {m.segment for m in found}
        return self._cache[name]


def _greeting_ok(t: Transcript, found: _Found, first_agent: int | None) -> tuple[bool, bool | None]:
    if first_agent is None:
        return False, None
    asked = any(
        found.asked(i) for i, m in enumerate(t.messages[:first_agent]) if m.sender == "customer"
    )
    burst = set(_agent_burst(t.messages, first_agent))
    if asked:
        # Seed 000 §二.3: a short "亲,您好" or a direct answer; the full welcome annoys customers.
        return not (found("welcome") & burst), True
    full = all(found(name) & burst for name in ("salutation", "welcome", "offer_of_help"))
    return full, False


def _sent_away(t: Transcript, found: _Found, tomorrow: set[int]) -> bool:
    """Seed 000 §四.2: after the customer stated a question, the agent's reply is only
    "come back tomorrow" (plus greetings) with no answer before it."""
    msgs = t.messages
    book = found.book
    for i, m in enumerate(msgs):
        if m.sender != "customer" or not found.asked(i):
            continue
        for j in _agent_burst(msgs, i + 1):
            sentences = [s for s in _SENTENCES.split(msgs[j].text) if s.strip()]
            if j in tomorrow:
                said = Text.of(sentences)
                away = {
                    x.segment
                    for _e, ms in book.listed(
                        [found.rules.taboo_list], said, category=TABOO_COME_BACK_TOMORROW
                    )
                    for x in ms
                }
                answered = [
                    s
                    for k, s in enumerate(sentences)
                    if k not in away and not _is_non_answer(s, book)
                ]
                if not answered:
                    return True
                break
            if any(not _is_non_answer(s, book) for s in sentences):
                break  # a real answer came first
    return False


def analyse_chat(t: Transcript, rules: ChatRules | None = None) -> ChatAnalysis:
    rules = rules or ChatRules()
    msgs = t.messages
    found = _Found(t, rules)
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

    hold, apology = found("hold"), found("apology_for_wait")
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
        if start is None and after_hold and (i - 1) in hold:
            start = i - 1  # the agent asked the customer to wait, then came back
        if pending is not None:
            delays.append(ReplyDelay(pending, i, _secs(msgs[pending].at, m.at)))
            pending = None
        if start is not None:
            seconds = _secs(msgs[start].at, m.at)
            if seconds > rules.long_wait_s:
                apologised = bool(set(_agent_burst(msgs, i)) & apology)
                waits.append(LongWait(start, i, seconds, apologised))

    end_time = t.ended_at or (msgs[-1].at if msgs else None)
    trailing_start: int | None = pending
    ends_on_hold = bool(msgs) and msgs[-1].sender == "agent"
    if trailing_start is None and ends_on_hold and (len(msgs) - 1) in hold:
        trailing_start = len(msgs) - 1
    unanswered: float | None = None
    if trailing_start is not None and end_time is not None:
        seconds = _secs(msgs[trailing_start].at, end_time)
        if pending is not None:
            unanswered = seconds
        if seconds > rules.long_wait_s:
            waits.append(LongWait(trailing_start, None, seconds, False))

    listed = rules.book.listed(rules.forbidden_lists, found.text, segments=found.agent)
    # First heard first (the list's order breaks ties).
    listed.sort(key=lambda em: (em[1][0].segment, em[1][0].start))
    forbidden = [str(entry.label) for entry, _ in listed]
    found.matches.extend(m for _e, ms in listed for m in ms)

    taboos: list[str] = []
    no_reply = rules.book.listed(
        [rules.taboo_list], found.text, segments=found.agent, category=TABOO_NOT_TO_REPLY
    )
    if no_reply:
        taboos.append(TABOO_NOT_TO_REPLY)
        found.matches.extend(m for _e, ms in no_reply for m in ms)
    tomorrow_hits = rules.book.listed(
        [rules.taboo_list], found.text, segments=found.agent, category=TABOO_COME_BACK_TOMORROW
    )
    tomorrow = {m.segment for _e, ms in tomorrow_hits for m in ms}
    if tomorrow and _sent_away(t, found, tomorrow):
        taboos.append(TABOO_COME_BACK_TOMORROW)
        found.matches.extend(m for _e, ms in tomorrow_hits for m in ms)

    greeting_ok, asked = _greeting_ok(t, found, first_agent)
    courtesy_ok = bool(found("courtesy.address")) and bool(found("courtesy.word"))
    last_from = msgs[-1].sender if msgs else None
    closing_ok = False
    if last_from == "agent":
        last_customer = max((i for i, m in enumerate(msgs) if m.sender == "customer"), default=-1)
        closing_ok = bool(found("closing") & set(range(last_customer + 1, len(msgs))))

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
        matches=sorted(found.matches, key=lambda m: (m.segment, m.start, m.end)),
    )
