"""Compile parsed checklist patterns (:mod:`checklists.phrases`) into regular expressions.

Two targets: the folded characters of a text (chat, and the first try on voice), and its
pinyin tokens (voice: homophones). Literal pieces are folded exactly like the text, so a
pattern may be written with punctuation, traditional characters or fillers and still match.
Segments (messages, utterances) are joined with :data:`SEGMENT`; nothing in a pattern can
match across it, so a match never spans two messages.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from checklists.phrases import (
    GAP_CHARS,
    SLOTS,
    SOFT_WORDS,
    Alt,
    Gap,
    Lit,
    NotAhead,
    Pattern,
    Seq,
    Slot,
    Soft,
    parse_pattern,
)
from probes.analysis.phrases.normalise import BOUNDARY, flat
from probes.analysis.phrases.pinyin import char_regex

SEGMENT = "\x1e"  # record separator: never produced by folding
MAX_EXPANSIONS = 256

Slots = Mapping[str, str]
AnyNode = Seq | Alt | Lit | Slot | Gap | Soft | NotAhead

_SOFT_FOLDED = tuple(dict.fromkeys(w for w in (flat(x) for x in SOFT_WORDS) if w))
# The lookahead on the first characters makes the usual case (no soft word here) one test.
_SOFT_FIRST = "".join(sorted({re.escape(w[0]) for w in _SOFT_FOLDED}))
SOFT_CHARS = f"(?:(?=[{_SOFT_FIRST}])(?:" + "|".join(map(re.escape, _SOFT_FOLDED)) + "))?"
SOFT_TOKENS = "(?:" + "|".join("".join(char_regex(ch) for ch in w) for w in _SOFT_FOLDED) + ")?"


@dataclass(frozen=True)
class Compiled:
    source: str  # the pattern as written (one top-level alternative)
    anchored: bool  # uses ^ or $: match on the clause form
    chars: re.Pattern[str]
    tokens: re.Pattern[str] | None  # None: not for pinyin (anchored, or too short)
    min_chars: int  # shortest possible match, in characters


def _any(n_min: int, n_max: int, in_clauses: bool) -> str:
    # The wildcard may not cross a segment or (in the clause form) a clause boundary.
    cls = f"[^{SEGMENT}{BOUNDARY}]" if in_clauses else f"[^{SEGMENT}]"
    return f"{cls}{{{n_min},{n_max}}}?"


def _chars(node: AnyNode, slots: Slots, in_clauses: bool, soft: bool = False) -> str:
    """Regex over folded characters. ``soft`` (listed phrases): a soft word may stand
    between any two characters and a character may be said twice (想想办法)."""
    if isinstance(node, Lit):
        text = flat(node.text)
        if not soft:
            return re.escape(text)
        return SOFT_CHARS.join(f"{re.escape(ch)}{{1,2}}" for ch in text)
    if isinstance(node, Seq):
        pieces = [_chars(item, slots, in_clauses, soft) for item in node.items]
        return (SOFT_CHARS if soft else "").join(p for p in pieces if p)
    if isinstance(node, Alt):
        body = "(?:" + "|".join(_chars(o, slots, in_clauses, soft) for o in node.options) + ")"
        return body + "?" if node.optional else body
    if isinstance(node, Soft):
        return SOFT_CHARS
    if isinstance(node, NotAhead):
        if node.behind:  # one fixed-width look-behind per word
            return "".join(f"(?<!{_chars(o, slots, in_clauses)})" for o in node.options if o.items)
        return "(?!" + "|".join(_chars(o, slots, in_clauses) for o in node.options) + ")"
    if isinstance(node, Slot):
        value = flat(slots.get(node.name, ""))
        if value:
            return re.escape(value)
        return _any(*SLOTS[node.name], in_clauses)
    return _any(0, GAP_CHARS, in_clauses)


def _tokens(node: AnyNode, slots: Slots) -> str:
    """Regex over pinyin tokens. Listed phrases are heard as written: their soft words are
    a tolerance of the character match only (by sound it would cost more than it finds)."""
    if isinstance(node, Lit):
        return "".join(char_regex(ch) for ch in flat(node.text))
    if isinstance(node, Seq):
        return "".join(_tokens(item, slots) for item in node.items)
    if isinstance(node, Alt):
        body = "(?:" + "|".join(_tokens(o, slots) for o in node.options) + ")"
        return body + "?" if node.optional else body
    if isinstance(node, Soft):
        return SOFT_TOKENS
    if isinstance(node, NotAhead):
        return ""  # clause-bound patterns are matched by characters only
    if isinstance(node, Slot):
        value = flat(slots.get(node.name, ""))
        if value:
            return "".join(char_regex(ch) for ch in value)
        lo, hi = SLOTS[node.name]
        return f"(?:[^ {SEGMENT}]+ ){{{lo},{hi}}}?"
    return f"(?:[^ {SEGMENT}]+ ){{0,{GAP_CHARS}}}?"


def _min_len(node: AnyNode, slots: Slots) -> int:
    if isinstance(node, Soft | NotAhead):
        return 0
    if isinstance(node, Lit):
        return len(flat(node.text))
    if isinstance(node, Seq):
        return sum(_min_len(i, slots) for i in node.items)
    if isinstance(node, Alt):
        return 0 if node.optional else min(_min_len(o, slots) for o in node.options)
    if isinstance(node, Slot):
        value = flat(slots.get(node.name, ""))
        return len(value) if value else SLOTS[node.name][0]
    return 0


# Below this many syllables a homophone is too likely to be another word (喂 wei / 为 wei).
MIN_PINYIN_CHARS = 3


def _compile_one(p: Pattern, slots: Slots, soft: bool = False) -> Compiled:
    anchored = p.clause_bound
    # A whole-clause retort (^什么$) is said as it is: no soft words in it.
    soft = soft and not (p.at_start or p.at_end)
    body = _chars(p.body, slots, anchored, soft)
    if anchored:
        body = ("^" if p.at_start else "") + body + ("$" if p.at_end else "")
    chars = re.compile(body, re.MULTILINE)
    min_chars = _min_len(p.body, slots)
    tokens = None
    if not anchored and min_chars >= MIN_PINYIN_CHARS:
        tokens = re.compile(_tokens(p.body, slots))
    return Compiled(p.source, anchored, chars, tokens, min_chars)


@lru_cache(maxsize=4096)
def _compile_cached(
    pattern: str, slot_items: tuple[tuple[str, str], ...], soft: bool = False
) -> tuple[Compiled, ...]:
    slots = dict(slot_items)
    return tuple(_compile_one(p, slots, soft) for p in parse_pattern(pattern))


def compile_pattern(
    pattern: str, slots: Slots | None = None, soft: bool = False
) -> tuple[Compiled, ...]:
    """Compiled forms of each top-level alternative of ``pattern`` (cached)."""
    return _compile_cached(pattern, tuple(sorted((slots or {}).items())), soft)


def _expand(node: AnyNode, slots: Slots) -> Iterator[str] | None:
    """Every literal string the node can match; None when it holds a gap or an open slot.
    A soft word counts as absent (the fuzzy score forgives one said anyway)."""
    if isinstance(node, Soft | NotAhead):
        return iter([""])
    if isinstance(node, Lit):
        return iter([flat(node.text)])
    if isinstance(node, Gap):
        return None
    if isinstance(node, Slot):
        value = flat(slots.get(node.name, ""))
        return iter([value]) if value else None
    if isinstance(node, Alt):
        parts = []
        for o in node.options:
            sub = _expand(o, slots)
            if sub is None:
                return None
            parts.append(sub)
        if node.optional:
            parts.append(iter([""]))
        return itertools.chain(*parts)
    pieces = []
    for item in node.items:
        sub = _expand(item, slots)
        if sub is None:
            return None
        pieces.append(list(sub))
    return ("".join(combo) for combo in itertools.product(*pieces))


@lru_cache(maxsize=2048)
def _expansions_cached(pattern: str, slot_items: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    slots = dict(slot_items)
    out: dict[str, None] = {}
    for p in parse_pattern(pattern):
        if p.at_start or p.at_end:
            continue
        found = _expand(p.body, slots)
        if found is None:
            continue
        for text in itertools.islice(found, MAX_EXPANSIONS + 1):
            if text:
                out[text] = None
        if len(out) > MAX_EXPANSIONS:
            return ()  # too many to compare one by one: exact and pinyin matching only
    return tuple(out)


def expansions(pattern: str, slots: Slots | None = None) -> tuple[str, ...]:
    """The literal strings a pattern stands for, for fuzzy comparison (empty: not usable)."""
    return _expansions_cached(pattern, tuple(sorted((slots or {}).items())))


def _first(node: AnyNode, slots: Slots) -> tuple[frozenset[str] | None, bool]:
    """(characters a match can start with — None: any —, whether the node can match empty)."""
    if isinstance(node, NotAhead | Soft):
        # A leading soft word is not looked for: the match is then tried (and found) from
        # the word after it, which keeps 您 and 这 from being tried as starts everywhere.
        return frozenset(), True
    if isinstance(node, Lit):
        text = flat(node.text)
        return (frozenset(text[:1]), False) if text else (frozenset(), True)
    if isinstance(node, Gap):
        return None, True
    if isinstance(node, Slot):
        value = flat(slots.get(node.name, ""))
        return (frozenset(value[:1]), False) if value else (None, False)
    if isinstance(node, Alt):
        chars: set[str] = set()
        empty = node.optional
        for option in node.options:
            first, can_empty = _first(option, slots)
            if first is None:
                return None, True
            chars |= first
            empty = empty or can_empty
        return frozenset(chars), empty
    chars = set()
    for item in node.items:
        first, can_empty = _first(item, slots)
        if first is None:
            return None, True
        chars |= first
        if not can_empty:
            return frozenset(chars), False
    return frozenset(chars), True


def _starts_with(
    compiled: list[Compiled], patterns: dict[str, Pattern], slots: Slots
) -> frozenset[str] | None:
    chars: set[str] = set()
    for c in compiled:
        first, _ = _first(patterns[c.source].body, slots)
        if first is None:
            return None
        chars |= first
    return frozenset(chars)


@dataclass(frozen=True)
class Combined:
    """All patterns of an element as one regex per target (one pass over a text each);
    group ``g<k>`` is the k-th compiled pattern. Patterns that can match nothing at all
    are left out (they would match everywhere)."""

    compiled: tuple[Compiled, ...]
    flat: re.Pattern[str] | None
    clauses: re.Pattern[str] | None
    tokens: re.Pattern[str] | None
    # The characters a match can start with (None: any): only there is a match tried,
    # which is what keeps a 5-minute chat under a millisecond.
    flat_first: frozenset[str] | None = None
    clause_first: frozenset[str] | None = None


def _join(parts: list[tuple[int, str]], flags: int = 0) -> re.Pattern[str] | None:
    if not parts:
        return None
    return re.compile("|".join(f"(?P<g{k}>{body})" for k, body in parts), flags)


@lru_cache(maxsize=4096)
def _combine_cached(
    patterns: tuple[str, ...], slot_items: tuple[tuple[str, str], ...], soft: bool = False
) -> Combined:
    slots = dict(slot_items)
    compiled = tuple(
        c for p in patterns for c in compile_pattern(p, slots, soft) if c.min_chars > 0
    )
    parsed = {q.source: q for p in patterns for q in parse_pattern(p)}
    flat_parts = [(k, c.chars.pattern) for k, c in enumerate(compiled) if not c.anchored]
    clause_parts = [(k, c.chars.pattern) for k, c in enumerate(compiled) if c.anchored]
    token_parts = [(k, c.tokens.pattern) for k, c in enumerate(compiled) if c.tokens is not None]
    return Combined(
        compiled,
        _join(flat_parts),
        _join(clause_parts, re.MULTILINE),
        _join(token_parts),
        _starts_with([c for c in compiled if not c.anchored], parsed, slots),
        _starts_with([c for c in compiled if c.anchored], parsed, slots),
    )


def combine(patterns: tuple[str, ...], slots: Slots | None = None, soft: bool = False) -> Combined:
    """The combined regexes of a set of patterns (cached); ``soft`` for listed phrases."""
    return _combine_cached(patterns, tuple(sorted((slots or {}).items())), soft)
