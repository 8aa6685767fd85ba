"""Score an agent's opening greeting (transcript text) against the hotline checklist.

Rules (seed 001 §6.3, §6.6.1, §6.9; seed 002 §3.4); the wording of every element is the
checklist's data (its items' ``phrases`` and its forbidden lists), never code:
- salutation: 您好/你好, or a time-of-day or holiday greeting;
- company name, when one is configured for the venue (homophones forgiven on voice);
- offer of help: "请问有什么可以帮您" or a close variant;
- time of day, both ways: inside a required period's window (00:00–12:00 "早上好", 001
  §6.3.1) its greeting must open the greeting; a period's greeting said outside its window
  (早上好 at 16:05, 晚上好 in the morning) is wrong; otherwise no period greeting is needed;
- on a festival day the festival greeting is required and replaces the time-of-day one
  (001 §6.3.3, see :mod:`probes.analysis.holiday_calendar`);
- answered after three rings: an apology or thanks for waiting (001 §6.6.1, 002 §3.4);
- no forbidden phrase (the checklist's §6.9 list and forbidden openings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checklists.phrases import escape
from checklists.schema import Checklist
from probes.analysis.answer import DEFAULT_RING_SECONDS, rings_for
from probes.analysis.checklist_source import HOTLINE_ID, shipped
from probes.analysis.holiday_calendar import FESTIVALS, Overrides, festivals_on
from probes.analysis.phrases import Element, Match, Mode, PhraseBook, Text, slot_values

Verdict = Literal["pass", "fail"]

DEFAULT_TIMEZONE = "Asia/Shanghai"
MAX_RINGS = 3  # seed 002 §3.4
ELEMENTS = ("salutation", "company", "offer_of_help", "time_of_day", "holiday", "apology_for_wait")
FORBIDDEN_MEASURE = "greeting.forbidden_phrases"
DEFAULT_FORBIDDEN_LISTS = ("forbidden_phrases", "forbidden_openings")
PERIODS = ("morning", "noon", "afternoon", "evening")


class GreetingError(ValueError):
    """Bad scoring input (unknown time zone, negative wait …); names the field."""


@dataclass(frozen=True)
class Window:
    start: time
    end: time | None  # None: until midnight ("24:00")

    def holds(self, t: time) -> bool:
        return self.start <= t and (self.end is None or t < self.end)


def parse_window(value: Any, where: str) -> Window:
    """``"00:00-12:00"`` (``24:00`` ends at midnight)."""
    try:
        a, b = str(value).split("-")
        start = time.fromisoformat(a.strip())
        end = None if b.strip() == "24:00" else time.fromisoformat(b.strip())
    except ValueError as exc:
        raise GreetingError(f"{where}: expected a window like 00:00-12:00, got {value!r}") from exc
    if end is not None and end <= start:
        raise GreetingError(f"{where}: window {value!r} ends before it starts")
    return Window(start, end)


def _binding_params(cl: Checklist) -> dict[str, Any]:
    """Every binding's params, first one wins (ring cadence, windows, zone)."""
    out: dict[str, Any] = {}
    for item in cl.items():
        if item.measure is not None:
            for key, value in item.measure.params.items():
                out.setdefault(key, value)
    return out


@dataclass(frozen=True)
class GreetingRules:
    """What the greeting judge needs from a checklist."""

    book: PhraseBook
    windows: Mapping[str, Window] = field(default_factory=dict)
    required: tuple[str, ...] = ("morning",)
    timezone: str = DEFAULT_TIMEZONE
    ring_seconds: float = DEFAULT_RING_SECONDS
    max_rings: int = MAX_RINGS
    forbidden_lists: tuple[str, ...] = DEFAULT_FORBIDDEN_LISTS

    @classmethod
    def from_checklist(cls, cl: Checklist) -> GreetingRules:
        """Rules of ``cl``; phrases it does not define come from the shipped hotline list."""
        base = None if cl.id == HOTLINE_ID else default_rules()
        book = PhraseBook.from_checklist(cl, base.book if base else None)
        params = _binding_params(cl)
        windows = dict(base.windows) if base else {}
        for period in PERIODS:
            if period in params:
                windows[period] = parse_window(params[period], f"params.{period}")
        required = params.get("required", base.required if base else ("morning",))
        if isinstance(required, str):
            required = [required]
        forbidden: tuple[str, ...] = ()
        for item in cl.items():
            if item.measure is not None and item.measure.measure == FORBIDDEN_MEASURE:
                forbidden = tuple(item.measure.data)
        return cls(
            book=book,
            windows=windows,
            required=tuple(str(r) for r in required),
            timezone=str(params.get("timezone", DEFAULT_TIMEZONE)),
            ring_seconds=float(str(params.get("ring_period_s", DEFAULT_RING_SECONDS))),
            max_rings=int(str(params.get("max_rings", MAX_RINGS))),
            forbidden_lists=forbidden
            or (base.forbidden_lists if base else DEFAULT_FORBIDDEN_LISTS),
        )


@lru_cache(maxsize=1)
def default_rules() -> GreetingRules:
    """The shipped hotline checklist's rules."""
    return GreetingRules.from_checklist(shipped(HOTLINE_ID))


_RULES: dict[int, tuple[Checklist, GreetingRules]] = {}


def rules_of(checklist: Checklist | None) -> GreetingRules:
    """The greeting rules of ``checklist`` (None: the shipped hotline), built once per object."""
    if checklist is None:
        return default_rules()
    cached = _RULES.get(id(checklist))
    if cached is not None and cached[0] is checklist:
        return cached[1]
    if len(_RULES) > 64:
        _RULES.clear()
    rules = GreetingRules.from_checklist(checklist)
    _RULES[id(checklist)] = (checklist, rules)
    return rules


@dataclass(frozen=True)
class GreetingResult:
    salutation: bool
    company: bool | None  # None: no company configured
    offer_of_help: bool
    time_of_day: bool | None  # None: not required at this time
    holiday: bool | None  # None: not a festival day
    apology_for_wait: bool | None  # None: answered within three rings (or unknown)
    forbidden_phrases: tuple[str, ...]
    verdict: Verdict
    reasons: tuple[str, ...]
    matches: tuple[Match, ...] = ()

    def elements(self) -> dict[str, bool | None]:
        return {name: getattr(self, name) for name in ELEMENTS}

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``audit probes score-greeting`` (issue 4, plus the matches)."""
        return {
            "elements": self.elements(),
            "forbidden_phrases": list(self.forbidden_phrases),
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "matches": [m.to_json() for m in self.matches],
        }

    def measures(self) -> dict[str, Any]:
        """Measures under the names of ``checklists.measures`` (``greeting.*``)."""
        return {
            "greeting": {
                **self.elements(),
                "verdict": self.verdict,
                "forbidden_phrases": list(self.forbidden_phrases),
            }
        }


def local_time(at: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """``at`` in the judging zone; a naive time is taken to be in that zone already."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise GreetingError(f"timezone: unknown zone {timezone!r}") from exc
    if at.tzinfo is None or at.utcoffset() is None:
        return at.replace(tzinfo=zone)
    return at.astimezone(zone)


def forbidden_heard(
    lines: Sequence[str],
    rules: GreetingRules | None = None,
    *,
    mode: Mode = "voice",
    extra: Sequence[str] = (),
) -> tuple[list[str], list[Match]]:
    """Forbidden phrases (their seed wording) said anywhere in ``lines``, with the matches."""
    r = rules or default_rules()
    text = Text.of(list(lines))
    heard: list[str] = []
    matches: list[Match] = []
    for entry, found in r.book.listed(r.forbidden_lists, text, mode=mode):
        heard.append(str(entry.label))
        matches.extend(found)
    for phrase in dict.fromkeys(extra):
        if phrase in heard:
            continue
        found = Element(phrase, (escape(phrase),), label=phrase).find(text, mode=mode)
        if found:
            heard.append(phrase)
            matches.extend(found)
    return heard, matches


def _time_of_day(
    found: dict[str, list[Match]], first: int | None, now: time, rules: GreetingRules
) -> tuple[bool | None, str | None]:
    """(verdict, reason) for the period greetings heard (``found``) at local time ``now``."""
    wrong = [p for p in found if p in rules.windows and not rules.windows[p].holds(now)]
    if wrong:
        return False, "wrong_time_of_day"
    required = [p for p in rules.required if p in rules.windows and rules.windows[p].holds(now)]
    if required:
        heard = [p for p in required if p in found]
        # "在欢迎语前加早上好": it opens the greeting (nothing greets before it).
        if not heard or first is None or found[heard[0]][0].start > first:
            return False, "missing_time_of_day"
        return True, None
    return (True, None) if found else (None, None)


def score_greeting(
    text: str,
    at: datetime,
    *,
    company: str | None = None,
    answered_after_s: float | None = None,
    rules: GreetingRules | None = None,
    extra_forbidden: Sequence[str] = (),
    later_lines: Sequence[str] = (),
    timezone: str | None = None,
    ring_seconds: float | None = None,
    max_rings: int | None = None,
    holiday_overrides: Overrides | None = None,
    mode: Mode = "voice",
) -> GreetingResult:
    """Judge ``text`` spoken at ``at`` (see the module doc). Forbidden phrases are looked for
    in ``text`` and in ``later_lines`` (the rest of the call)."""
    r = rules or default_rules()
    if answered_after_s is not None and answered_after_s < 0:
        raise GreetingError(f"answered_after: must not be negative, got {answered_after_s}")
    when = local_time(at, timezone or r.timezone)
    said = Text.of(text)
    slots = slot_values(company)
    book = r.book
    matches: list[Match] = []

    def look(name: str) -> list[Match]:
        found = book.find(name, said, mode=mode, slots=slots) if book.has(name) else []
        matches.extend(found)
        return found

    festivals = festivals_on(when.date(), holiday_overrides)
    periods = {p: m for p in PERIODS if (m := look(p))}
    # Any festival's greeting is a salutation; only today's satisfies the holiday rule.
    festival_hits = {f: m for f in FESTIVALS if (m := look(f"festival.{f}"))}
    plain = look("salutation")
    greeted = [m.start for ms in (plain, *periods.values(), *festival_hits.values()) for m in ms]
    salutation = bool(greeted)
    company_ok = bool(look("company")) if slots else None
    offer = bool(look("offer_of_help"))
    holiday = any(f in festival_hits for f in festivals) if festivals else None
    time_of_day, tod_reason = None, None
    if not festivals:  # a festival greeting replaces the time-of-day one (001 §6.3.3)
        time_of_day, tod_reason = _time_of_day(
            periods, min(greeted) if greeted else None, when.time(), r
        )
    apology = None
    if answered_after_s is not None:
        rings = rings_for(answered_after_s, ring_seconds or r.ring_seconds)
        if rings > (max_rings or r.max_rings):
            apology = bool(look("apology_for_wait"))
    lines = [text, *later_lines]
    heard, forbidden_matches = forbidden_heard(lines, r, mode=mode, extra=extra_forbidden)
    matches.extend(m for m in forbidden_matches if m.segment == 0)

    values = {
        "salutation": salutation,
        "company": company_ok,
        "offer_of_help": offer,
        "time_of_day": time_of_day,
        "holiday": holiday,
        "apology_for_wait": apology,
    }
    reasons: list[str] = []
    for name in ELEMENTS:
        if values[name] is False:
            reasons.append(
                tod_reason if name == "time_of_day" and tod_reason else f"missing_{name}"
            )
    if heard:
        reasons.append("forbidden_phrase")
    return GreetingResult(
        salutation=salutation,
        company=company_ok,
        offer_of_help=offer,
        time_of_day=time_of_day,
        holiday=holiday,
        apology_for_wait=apology,
        forbidden_phrases=tuple(heard),
        verdict="fail" if reasons else "pass",
        reasons=tuple(reasons),
        matches=tuple(sorted(matches, key=lambda m: (m.segment, m.start, m.end))),
    )
