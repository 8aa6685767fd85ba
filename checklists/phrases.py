"""The pattern language of checklist phrases (parsing only; matching is in ``probes.analysis``).

A checklist item that a probe judges from words (a greeting, a closing, a forbidden phrase)
writes the wording as small patterns beside the item. Syntax::

    您好                    literal text; punctuation, spaces, case and width are ignored,
                            traditional characters match their simplified form
    {可以|能|能够}          one of the alternatives (alternatives may be empty: {的|})
    [请问]                  optional part; [a|b] is an optional choice
    <company>               a slot: the venue's company name (any 1–12 characters when the
                            probe knows none); <name> a person's name or staff number
                            (1–6 characters); <number> digits
    …  or  ...              a gap of up to 8 characters (two gaps: up to 16)
    ~                       an optional soft word: an adverb of emphasis or time, a pronoun
                            or 们 that a speaker may add without changing what is said
                            (又 就 都 还 也 根本 今天 你 您 我们 …, see SOFT_WORDS)
    !{a|b}                  not followed here by a or b: 您好!{像|好} is 您好 but not the
                            您好 of 您好像 or 您好好休息 (a pattern using it is matched
                            within one clause, like ^ and $)
    ^  $                    start / end of a clause (text between punctuation or pauses):
                            ^什么$ is the retort "什么?", not the 什么 inside 有什么可以帮您
    \\x                     the character x itself ({ } [ ] < > | … ^ $ \\)
    a|b                     at the top level: either pattern

This module only parses (so ``audit checklists check`` reports a bad pattern with its file
and line, and ``checklists`` stays free of the matching libraries); the engine in
:mod:`probes.analysis.phrases` compiles the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

SLOTS = {"company": (1, 12), "name": (1, 6), "number": (1, 12)}
GAP_CHARS = 8
# Words a speaker slips into a sentence without changing what it says: adverbs of emphasis,
# scope and time, the addressee, plural 们 and conditional 的话 (用不起的话就别用). ``~`` in a pattern stands for at most one of
# them; in a listed phrase (a forbidden phrase, a taboo) one may stand between any two
# characters, and a character may be said twice (想想办法 for 想办法).
_SOFT_TEXT = (
    "根本 本来 明明 压根 其实 到底 一直 老是 总是 今天 现在 这边 这里 我们 你们 的话 "
    "又 就 都 还 也 可 倒 真 才 再 却 总 老 去 先 要 你 您 们"
)
SOFT_WORDS = tuple(_SOFT_TEXT.split())
_SPECIAL = set("{}[]<>|…^$\\~")


class PatternError(ValueError):
    """A pattern does not parse; the message names the column (1-based)."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Gap:
    pass


@dataclass(frozen=True)
class Soft:
    """``~``: at most one of :data:`SOFT_WORDS`."""


@dataclass(frozen=True)
class NotAhead:
    """``!{a|b}``: what follows is none of the options (matches no text itself);
    ``!<{a|b}`` (``behind``): what precedes is none of them (plain words only)."""

    options: tuple[Seq, ...]
    behind: bool = False


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    options: tuple[Seq, ...]
    optional: bool = False


Node = Lit | Slot | Gap | Alt | Soft | NotAhead


@dataclass(frozen=True)
class Pattern:
    """One parsed top-level alternative: anchors and a sequence."""

    source: str
    at_start: bool
    at_end: bool
    body: Seq

    @property
    def clause_bound(self) -> bool:
        """Matched on the clause form: anchored, or looking ahead (what follows a match is
        only known where clause boundaries are kept)."""
        return self.at_start or self.at_end or _looks_ahead(self.body)


def _looks_ahead(node: Seq | Node) -> bool:
    if isinstance(node, NotAhead):
        return True
    if isinstance(node, Seq):
        return any(_looks_ahead(i) for i in node.items)
    if isinstance(node, Alt):
        return any(_looks_ahead(o) for o in node.options)
    return False


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def error(self, message: str, at: int | None = None) -> PatternError:
        return PatternError((self.i if at is None else at) + 1, message)

    def peek(self) -> str | None:
        return self.text[self.i] if self.i < len(self.text) else None

    def parse(self) -> list[Pattern]:
        if not self.text.strip():
            raise self.error("empty pattern")
        out: list[Pattern] = []
        while True:
            start = self.i
            at_start = False
            if self.peek() == "^":
                at_start = True
                self.i += 1
            body, at_end = self.parse_seq(top=True)
            source = self.text[start : self.i].strip()
            if not body.items:
                raise self.error("empty alternative", start)
            out.append(Pattern(source, at_start, at_end, body))
            if self.peek() is None:
                return out
            if self.peek() == "|":
                self.i += 1
                continue
            raise self.error(f"unexpected {self.peek()!r}")

    def parse_seq(self, top: bool) -> tuple[Seq, bool]:
        items: list[Node] = []
        buf: list[str] = []
        at_end = False

        def flush() -> None:
            if buf:
                items.append(Lit("".join(buf)))
                buf.clear()

        while (ch := self.peek()) is not None:
            if ch in "|}]":
                break
            if ch == "\\":
                if self.i + 1 >= len(self.text):
                    raise self.error("'\\' at the end of the pattern")
                buf.append(self.text[self.i + 1])
                self.i += 2
                continue
            if ch == "^":
                raise self.error("'^' (clause start) only at the start of a pattern")
            if ch == "$":
                rest = self.text[self.i + 1 :]
                if not top or (rest.strip() and not rest.lstrip().startswith("|")):
                    raise self.error("'$' (clause end) only at the end of a pattern")
                self.i += 1
                at_end = True
                continue
            if ch in "{[":
                flush()
                items.append(self.parse_group(ch))
                continue
            if ch == "!" and self.text.startswith("!{", self.i):
                flush()
                start = self.i
                self.i += 1
                group = self.parse_group("{")
                if any(_has_open_part(o) for o in group.options):
                    raise self.error("'!{..}' takes plain alternatives (no gap or slot)", start)
                items.append(NotAhead(group.options))
                continue
            if ch == "!" and self.text.startswith("!<{", self.i):
                flush()
                start = self.i
                self.i += 2
                group = self.parse_group("{")
                if any(not all(isinstance(i, Lit) for i in o.items) for o in group.options):
                    raise self.error("'!<{..}' takes plain words (no group, gap or slot)", start)
                items.append(NotAhead(group.options, behind=True))
                continue
            if ch == "~":
                flush()
                items.append(Soft())
                self.i += 1
                continue
            if ch == "<":
                flush()
                items.append(self.parse_slot())
                continue
            if ch == ">":
                raise self.error("'>' without '<'")
            if ch == "…" or self.text.startswith("...", self.i):
                flush()
                items.append(Gap())
                self.i += 1 if ch == "…" else 3
                continue
            buf.append(ch)
            self.i += 1
        flush()
        return Seq(tuple(items)), at_end

    def parse_group(self, opener: str) -> Alt:
        start = self.i
        closer = "}" if opener == "{" else "]"
        self.i += 1
        options: list[Seq] = []
        while True:
            seq, _ = self.parse_seq(top=False)
            options.append(seq)
            ch = self.peek()
            if ch == "|":
                self.i += 1
                continue
            if ch == closer:
                self.i += 1
                break
            if ch is None:
                raise self.error(f"{opener!r} is never closed", start)
            raise self.error(f"expected {closer!r}, got {ch!r}")
        if all(not o.items for o in options):
            raise self.error(f"empty {opener}{closer}", start)
        return Alt(tuple(options), optional=opener == "[")

    def parse_slot(self) -> Slot:
        start = self.i
        end = self.text.find(">", start)
        if end < 0:
            raise self.error("'<' is never closed", start)
        name = self.text[start + 1 : end].strip()
        if name not in SLOTS:
            raise self.error(f"unknown slot <{name}>; known: {', '.join(sorted(SLOTS))}", start)
        self.i = end + 1
        return Slot(name)


def _has_open_part(node: Seq | Node) -> bool:
    if isinstance(node, Gap | Slot | Soft | NotAhead):
        return True
    if isinstance(node, Seq):
        return any(_has_open_part(i) for i in node.items)
    if isinstance(node, Alt):
        return any(_has_open_part(o) for o in node.options)
    return False


@lru_cache(maxsize=4096)
def parse_pattern(text: str) -> tuple[Pattern, ...]:
    """Parse a pattern; raises :class:`PatternError`."""
    return tuple(_Parser(text).parse())


def check_pattern(text: str) -> str:
    """Pydantic validator: the text parses (the error message names the column)."""
    try:
        parse_pattern(text)
    except PatternError as exc:
        raise ValueError(f"bad pattern {text!r}: {exc}") from exc
    return text


def escape(text: str) -> str:
    """A pattern matching ``text`` literally (seed wording used as its own pattern)."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text).replace("...", "\\...")


def slots_of(node: Seq | Node) -> set[str]:
    if isinstance(node, Slot):
        return {node.name}
    if isinstance(node, Seq):
        return {s for item in node.items for s in slots_of(item)}
    if isinstance(node, Alt | NotAhead):
        return {s for option in node.options for s in slots_of(option)}
    return set()
