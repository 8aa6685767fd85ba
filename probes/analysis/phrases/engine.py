"""The phrase engine: find a checklist's phrase elements in messages or utterances.

    book = PhraseBook.from_checklist(checklist)
    text = Text.of(["您好,中國移動,請問有什麼可以幫您?"])
    book.find("offer_of_help", text)        # -> [Match(element=..., pattern=..., start, end)]

Chat is matched exactly after folding (people type what they mean). Voice transcripts
(``mode="voice"``) may also match by sound: the same pattern over pinyin tokens (homophones),
and for elements with a ``fuzzy`` threshold a rapidfuzz comparison of pinyin, which forgives
a dropped or misheard syllable. Every match says which pattern matched, how, and where:
the segment and the character span in the original text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

from rapidfuzz import fuzz

from checklists.phrases import escape
from checklists.schema import Checklist, DataEntry, PhraseSpec
from probes.analysis.phrases.compile import SEGMENT, Combined, Slots, combine, expansions
from probes.analysis.phrases.normalise import BOUNDARY, Folded
from probes.analysis.phrases.pinyin import Tokens, initial, near, syllables

Mode = Literal["chat", "voice"]
# A fuzzy score over fewer syllables lets unrelated phrases through (久等了 ~ 登记了).
FUZZY_MIN_CHARS = 5
# A near homophone: a recogniser heard every syllable right but one, and that one nearly
# (same initial, a like final: 快落 kuai luo for 快乐 kuai le; see ``pinyin.near``).
# Accepted for phrases of this many syllables or more.
NEAR_MIN_CHARS = 4
How = Literal["exact", "pinyin", "fuzzy"]


@dataclass(frozen=True)
class Match:
    element: str
    pattern: str
    segment: int
    start: int  # character span in the segment's original text
    end: int
    text: str
    how: How = "exact"
    score: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "element": self.element,
            "pattern": self.pattern,
            "segment": self.segment,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "how": self.how,
        }
        if self.score is not None:
            out["score"] = round(self.score, 1)
        return out


class Text:
    """Segments (messages, utterances) folded once, matched by many patterns."""

    def __init__(self, segments: Sequence[str]) -> None:
        self.segments = [Folded.of(s) for s in segments]
        self.flat = SEGMENT.join(s.flat for s in self.segments)
        self.clauses = BOUNDARY.join(s.clauses for s in self.segments)
        self._flat_starts = _starts([s.flat for s in self.segments])
        self._clause_starts = _starts([s.clauses for s in self.segments])
        self._seg_tokens: dict[int, Tokens] = {}

    @classmethod
    def of(cls, segments: str | Sequence[str]) -> Text:
        return cls([segments] if isinstance(segments, str) else list(segments))

    @cached_property
    def tokens(self) -> Tokens:
        return Tokens.of(self.flat)

    def segment_tokens(self, seg: int) -> Tokens:
        """Pinyin tokens of one segment (made once)."""
        if seg not in self._seg_tokens:
            self._seg_tokens[seg] = Tokens.of(self.segments[seg].flat)
        return self._seg_tokens[seg]

    def starts(self, in_clauses: bool = False) -> list[int]:
        """Offset of each segment in the joined flat (or clause) text."""
        return self._clause_starts if in_clauses else self._flat_starts

    def locate(self, start: int, end: int, *, in_clauses: bool = False) -> tuple[int, int, int]:
        """(segment, original start, original end) of a folded span of the joined text."""
        starts = self._clause_starts if in_clauses else self._flat_starts
        seg = bisect.bisect_right(starts, start) - 1
        base = starts[seg]
        a, b = self.segments[seg].span(start - base, end - base, in_clauses=in_clauses)
        return seg, a, b


def _starts(parts: list[str]) -> list[int]:
    out, pos = [], 0
    for p in parts:
        out.append(pos)
        pos += len(p) + 1  # the separator
    return out


@dataclass(frozen=True)
class Element:
    """One phrase element: its patterns (the seed wording first among its examples)."""

    name: str
    patterns: tuple[str, ...]
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    fuzzy: int | None = None
    label: str | None = None  # what to report (a forbidden phrase's seed wording)
    category: str | None = None  # a listed phrase's category (which taboo it proves)
    # Listed phrases (forbidden phrases, taboos) are sentences a speaker embellishes: a soft
    # word (又 就 都 根本 你 们 …) may stand between any two characters, a character may be
    # doubled (想想办法). Elements write ``~`` where they allow one.
    soft: bool = False

    @classmethod
    def of(cls, name: str, spec: PhraseSpec) -> Element:
        return cls(name, tuple(spec.match), tuple(spec.examples), tuple(spec.not_), spec.fuzzy)

    @classmethod
    def of_entry(cls, name: str, entry: DataEntry) -> Element:
        patterns = tuple(entry.match) or (escape(entry.text),)
        examples = (entry.text, *(e for e in entry.examples if e != entry.text))
        return cls(
            name,
            patterns,
            examples,
            tuple(entry.not_),
            entry.fuzzy,
            label=entry.text,
            category=entry.category,
            soft=True,
        )

    def find(
        self,
        text: Text,
        *,
        mode: Mode = "chat",
        slots: Slots | None = None,
        first: bool = False,
        segments: Iterable[int] | None = None,
        once_per_segment: bool = False,
    ) -> list[Match]:
        """Matches of this element in ``text`` (only in ``segments`` when given; only the
        first of each segment with ``once_per_segment``)."""
        wanted = None if segments is None else set(segments)
        found: list[Match] = []
        comb = combine(self.patterns, slots, self.soft)
        for m in _exact(self.name, comb, text, wanted, once_per_segment or first):
            found.append(m)
            if first:
                return found
        if mode != "voice":
            return _ordered(found)
        hit_segments = {m.segment for m in found}
        for m in _by_sound(self.name, comb, text, wanted):
            if m.segment not in hit_segments:
                found.append(m)
                hit_segments.add(m.segment)
                if first:
                    return found
        if self.fuzzy is not None:
            for seg in range(len(text.segments)):
                if seg in hit_segments or (wanted is not None and seg not in wanted):
                    continue
                near = self._fuzzy(text, seg, slots)
                if near is not None:
                    found.append(near)
                    if first:
                        return found
        return _ordered(found)

    def _fuzzy(self, text: Text, seg: int, slots: Slots | None) -> Match | None:
        folded = text.segments[seg].flat
        if not folded:
            return None
        tokens = text.segment_tokens(seg)
        forms = _forms(self.patterns, tuple(sorted((slots or {}).items())))
        near = _near(forms, tokens)
        if near is not None:
            pattern, i, j = near
            start, end = text.segments[seg].span(i, j)
            original = text.segments[seg].original
            return Match(self.name, pattern, seg, start, end, original[start:end], "pinyin")
        best: tuple[float, str, int, int] | None = None
        assert self.fuzzy is not None
        for pattern, literal, target, _said, _initials in forms:
            if len(literal) < FUZZY_MIN_CHARS:
                continue  # short phrases are too easily another phrase one syllable off
            if len(target) > len(tokens.text):
                # A text shorter than the phrase must be the phrase, nearly whole (a
                # partial ratio would find the short text inside the phrase).
                score = fuzz.ratio(target, tokens.text, score_cutoff=self.fuzzy)
                if score and (best is None or score > best[0]):
                    best = (score, pattern, 0, len(tokens.text))
                continue
            r = fuzz.partial_ratio_alignment(target, tokens.text, score_cutoff=self.fuzzy)
            if r is not None and (best is None or r.score > best[0]):
                best = (r.score, pattern, r.dest_start, r.dest_end)
        if best is None:
            return None
        score, pattern, a, b = best
        i, j = tokens.char_span(a, b)
        start, end = text.segments[seg].span(i, j)
        original = text.segments[seg].original
        return Match(self.name, pattern, seg, start, end, original[start:end], "fuzzy", score)


# (pattern, literal, its pinyin, its syllables, their initials) for each literal form.
Form = tuple[str, str, str, tuple[str, ...], str]


@lru_cache(maxsize=1024)
def _forms(patterns: tuple[str, ...], slot_items: tuple[tuple[str, str], ...]) -> tuple[Form, ...]:
    out: list[Form] = []
    for pattern in patterns:
        for literal in expansions(pattern, dict(slot_items)):
            target = syllables(literal)
            said = tuple(target.split(" ")[:-1])
            out.append((pattern, literal, target, said, "".join(map(initial, said))))
    return tuple(out)


def _near(forms: tuple[Form, ...], tokens: Tokens) -> tuple[str, int, int] | None:
    """(pattern, first char, end char) of a near homophone of one of the literal forms: as
    many syllables, all the same but at most one, which is near (``pinyin.near``)."""
    heard = tokens.syllables
    heard_initials = tokens.initials
    for pattern, literal, _target, said, initials in forms:
        if len(literal) < NEAR_MIN_CHARS:
            continue
        at = heard_initials.find(initials)
        while at >= 0:
            off = [(a, b) for a, b in zip(said, heard[at : at + len(said)], strict=True) if a != b]
            if len(off) <= 1 and all(near(a, b) for a, b in off):
                return pattern, at, at + len(said)
            at = heard_initials.find(initials, at + 1)
    return None


def _ordered(found: list[Match]) -> list[Match]:
    return sorted(found, key=lambda m: (m.segment, m.start, m.end))


@lru_cache(maxsize=4096)
def _starts_regex(first: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(first)) + "]")


def _exact(
    name: str, comb: Combined, text: Text, wanted: set[int] | None, once: bool = False
) -> Iterable[Match]:
    """Leftmost non-overlapping character matches, tried only where one can start (one C
    search finds the next such place); ``once``: only the first of each segment, after which
    the search jumps to the next segment it may look at."""
    for regex, subject, in_clauses, first in (
        (comb.flat, text.flat, False, comb.flat_first),
        (comb.clauses, text.clauses, True, comb.clause_first),
    ):
        if regex is None or first == frozenset():
            continue
        starts = text.starts(in_clauses)
        spots = regex if first is None else _starts_regex(first)
        allowed = sorted(wanted) if wanted is not None else None
        pos = 0
        while (spot := spots.search(subject, pos)) is not None:
            i = spot.start()
            seg = bisect.bisect_right(starts, i) - 1
            if allowed is not None and seg not in wanted:  # type: ignore[operator]
                k = bisect.bisect_right(allowed, seg)
                if k >= len(allowed):
                    break
                pos = starts[allowed[k]]
                continue
            m = regex.match(subject, i) if first is not None else spot
            if m is None or m.end() == m.start():
                pos = i + 1
                continue
            pos = m.end()
            seg, a, b = text.locate(m.start(), m.end(), in_clauses=in_clauses)
            source = comb.compiled[int(str(m.lastgroup)[1:])].source
            yield Match(name, source, seg, a, b, text.segments[seg].original[a:b])
            if once:
                if seg + 1 >= len(starts):
                    break
                pos = max(pos, starts[seg + 1])


def _by_sound(name: str, comb: Combined, text: Text, wanted: set[int] | None) -> Iterable[Match]:
    if comb.tokens is None:
        return
    tokens = text.tokens
    for m in comb.tokens.finditer(tokens.text):
        c = comb.compiled[int(str(m.lastgroup)[1:])]
        i, j = tokens.char_span(m.start(), m.end())
        if j - i < c.min_chars or j <= i:
            continue
        seg, a, b = text.locate(i, j)
        if wanted is not None and seg not in wanted:
            continue
        yield Match(name, c.source, seg, a, b, text.segments[seg].original[a:b], "pinyin")


@dataclass
class PhraseBook:
    """The phrase elements of a checklist (item ``phrases``) and its phrase lists (``data``
    entries, each an element named after its seed wording)."""

    elements: dict[str, Element] = field(default_factory=dict)
    lists: dict[str, tuple[Element, ...]] = field(default_factory=dict)

    @classmethod
    def from_checklist(cls, cl: Checklist, fallback: PhraseBook | None = None) -> PhraseBook:
        """Elements of ``cl``; those it does not define come from ``fallback``."""
        elements = dict(fallback.elements) if fallback else {}
        lists = dict(fallback.lists) if fallback else {}
        for item in cl.items():
            for name, spec in item.phrases.items():
                elements[name] = Element.of(name, spec)
        for list_name, entries in cl.data.items():
            lists[list_name] = tuple(Element.of_entry(list_name, e) for e in entries)
        return cls(elements, lists)

    def has(self, name: str) -> bool:
        return name in self.elements

    def element(self, name: str) -> Element:
        try:
            return self.elements[name]
        except KeyError:
            raise KeyError(f"the checklist defines no phrase {name!r}") from None

    def find(self, name: str, text: Text, **kw: Any) -> list[Match]:
        return self.element(name).find(text, **kw)

    def found(self, name: str, text: Text, **kw: Any) -> bool:
        return bool(self.element(name).find(text, first=True, **kw))

    def listed(
        self,
        names: Sequence[str],
        text: Text,
        *,
        category: str | None = None,
        **kw: Any,
    ) -> list[tuple[Element, list[Match]]]:
        """Entries of the named lists (of ``category`` when given) found in ``text``, each
        once, in list order. One pass over the text finds whether any entry can be there."""
        entries = [
            e
            for list_name in names
            for e in self.lists.get(list_name, ())
            if category is None or e.category == category
        ]
        if not entries:
            return []
        if not any(e.fuzzy for e in entries):
            # One pass (by characters, and by sound on voice) over the whole list first.
            everything = Element(
                "any",
                tuple(p for e in entries for p in e.patterns),
                soft=all(e.soft for e in entries),
            )
            probe = {k: kw[k] for k in ("mode", "slots", "segments") if k in kw}
            if not everything.find(text, first=True, **probe):
                return []
        out: list[tuple[Element, list[Match]]] = []
        seen: set[str] = set()
        for entry in entries:
            if entry.label in seen:
                continue
            matches = entry.find(text, **kw)
            if matches:
                seen.add(str(entry.label))
                out.append((entry, matches))
        return out


def slot_values(company: str | None) -> Mapping[str, str]:
    return {"company": company} if company else {}
