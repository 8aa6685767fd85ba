"""FROZEN pre-issue-18 judge (commit ff87159), the reference of bench/judging_accuracy.py.

Score an agent's opening greeting (transcript text) against the hotline rules.

Rules (seed 001 §6.3, §6.6.1, §6.9; seed 002 §3.4; issue 4):
- salutation: 您好/你好, or a time-of-day or holiday greeting (早上好, 新年好 …);
- company name, when one is configured for the venue;
- offer of help: "请问有什么可以帮您" or a close variant;
- from 00:00 to 12:00 local time the greeting starts with "早上好" (001 §6.3.1);
- on a festival day the festival greeting is required and replaces the time-of-day one
  (001 §6.3.3, see :mod:`probes.analysis.holiday_calendar`);
- answered after three rings: an apology or thanks for waiting (001 §6.6.1, 002 §3.4);
- no forbidden phrase (the checklist's list, 001 §6.9).

Matching works on normalised text: NFKC (full-width ASCII → ASCII), case-folded, punctuation
and spaces removed — transcripts punctuate at random.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from probes.analysis.answer import DEFAULT_RING_SECONDS, rings_for
from probes.analysis.holiday_calendar import Overrides, festivals_on

FESTIVAL_GREETINGS: dict[str, tuple[str, ...]] = {
    "new_year": ("新年好", "新年快乐", "元旦快乐"),
    "spring_festival": ("新年好", "新年快乐", "春节快乐", "过年好"),
    "labour_day": ("劳动节快乐", "五一快乐"),
    "mid_autumn": ("中秋节快乐", "中秋快乐"),
    "national_day": ("国庆节快乐", "国庆快乐"),
}

Verdict = Literal["pass", "fail"]

DEFAULT_TIMEZONE = "Asia/Shanghai"
MAX_RINGS = 3  # seed 002 §3.4
MORNING_GREETING = "早上好"
MORNING_ENDS = time(12, 0)  # seed 001 §6.3.1: 凌晨0:00-12:00

# Forbidden openings of seed 001 §6.3 (the full §6.9 list lives in the checklist data and is
# passed in by the caller; this default serves the CLI and callers without a checklist).
DEFAULT_FORBIDDEN_PHRASES: tuple[str, ...] = (
    "喂,说话呀",
    "喂,有什么事快说!不说我挂线啦",
    "喂,有什么事,说吧!",
    "喂,说话呀!再不说话我就挂机了啊!",
)

_SALUTATIONS = ("您好", "你好", "早上好", "上午好", "中午好", "下午好", "晚上好", "节日快乐")
_OFFER_OF_HELP = re.compile(
    "|".join(
        (
            # 有什么可以帮您 / 帮到您 / 能帮您 / 可以为您(服务/效劳) / 我能帮你
            r"有什么(?:我)?(?:可以|能|能够)?(?:我)?(?:帮|帮到|帮助|帮上|为)(?:您|你)",
            # 您需要什么帮助 / 需要帮忙吗
            r"需要(?:什么|哪些|啥)?(?:帮助|帮忙|服务)",
            # 很高兴为您服务
            r"(?:很高兴|乐意|竭诚)为(?:您|你)服务",
        )
    )
)
_APOLOGY = (
    "抱歉",
    "对不起",
    "不好意思",
    "久等",
    "耐心等候",
    "耐心等待",
    "感谢您的等待",
    "谢谢您的等待",
)

ELEMENTS = ("salutation", "company", "offer_of_help", "time_of_day", "holiday", "apology_for_wait")


class GreetingError(ValueError):
    """Bad scoring input (unknown time zone, negative wait …); names the field."""


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

    def elements(self) -> dict[str, bool | None]:
        return {name: getattr(self, name) for name in ELEMENTS}

    def to_json(self) -> dict[str, Any]:
        """The exact JSON of ``audit probes score-greeting`` (issue 4)."""
        return {
            "elements": self.elements(),
            "forbidden_phrases": list(self.forbidden_phrases),
            "verdict": self.verdict,
            "reasons": list(self.reasons),
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


def normalise(text: str) -> str:
    """NFKC, case-folded, without punctuation, symbols or spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


def local_time(at: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """``at`` in the judging zone; a naive time is taken to be in that zone already."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise GreetingError(f"timezone: unknown zone {timezone!r}") from exc
    if at.tzinfo is None or at.utcoffset() is None:
        return at.replace(tzinfo=zone)
    return at.astimezone(zone)


_CLAUSES = re.compile(r"[,.!?;:,。!?;:、\s]+")
# Phrases this short ("什么?", "说吧") are forbidden as an utterance, not as part of a word:
# "什么" occurs inside every standard offer of help ("请问有什么可以帮您?").
SHORT_PHRASE = 4


def forbidden_heard(lines: Sequence[str], phrases: Sequence[str]) -> list[str]:
    """Phrases of ``phrases`` said in ``lines``: long ones anywhere, short ones as a clause."""
    whole = normalise("".join(lines))
    clauses = {normalise(c) for line in lines for c in _CLAUSES.split(line) if normalise(c)}
    heard: list[str] = []
    for phrase in dict.fromkeys(phrases):
        norm = normalise(phrase)
        if not norm:
            continue
        if (norm in clauses) if len(norm) < SHORT_PHRASE else (norm in whole):
            heard.append(phrase)
    return heard


def score_greeting(
    text: str,
    at: datetime,
    *,
    company: str | None = None,
    answered_after_s: float | None = None,
    forbidden_phrases: Sequence[str] = DEFAULT_FORBIDDEN_PHRASES,
    timezone: str = DEFAULT_TIMEZONE,
    ring_seconds: float = DEFAULT_RING_SECONDS,
    max_rings: int = MAX_RINGS,
    holiday_overrides: Overrides | None = None,
) -> GreetingResult:
    """Judge ``text`` spoken at ``at`` (see the module doc for the rules)."""
    if answered_after_s is not None and answered_after_s < 0:
        raise GreetingError(f"answered_after: must not be negative, got {answered_after_s}")
    said = normalise(text)
    when = local_time(at, timezone)
    festivals = festivals_on(when.date(), holiday_overrides)
    festival_words = {g for f in festivals for g in FESTIVAL_GREETINGS[f]}
    every_festival_word = {g for gs in FESTIVAL_GREETINGS.values() for g in gs}

    salutation = any(w in said for w in (*_SALUTATIONS, *every_festival_word))
    company_ok = None
    if company is not None and normalise(company):
        company_ok = normalise(company) in said
    offer = _OFFER_OF_HELP.search(said) is not None
    holiday = any(w in said for w in festival_words) if festivals else None
    # A festival greeting replaces the time-of-day one (001 §6.3.3).
    time_of_day = None
    if not festivals and when.time() < MORNING_ENDS:
        time_of_day = said.startswith(MORNING_GREETING)
    apology = None
    if answered_after_s is not None and rings_for(answered_after_s, ring_seconds) > max_rings:
        apology = any(w in said for w in _APOLOGY)
    heard = tuple(forbidden_heard([text], forbidden_phrases))

    values = {
        "salutation": salutation,
        "company": company_ok,
        "offer_of_help": offer,
        "time_of_day": time_of_day,
        "holiday": holiday,
        "apology_for_wait": apology,
    }
    reasons = [f"missing_{name}" for name in ELEMENTS if values[name] is False]
    if heard:
        reasons.append("forbidden_phrase")
    return GreetingResult(
        salutation=salutation,
        company=company_ok,
        offer_of_help=offer,
        time_of_day=time_of_day,
        holiday=holiday,
        apology_for_wait=apology,
        forbidden_phrases=heard,
        verdict="fail" if reasons else "pass",
        reasons=tuple(reasons),
    )
