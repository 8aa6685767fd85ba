"""Fold text for phrase matching, keeping the way back to the original characters.

Per character: OpenCC traditional→simplified (``t2s``), NFKC (full-width → ASCII, ① → 1),
case folding; punctuation, spaces and control characters become clause boundaries, symbols
and emoji are dropped. Then fillers and sentence particles (嗯 啊 呀 哈 啦 呢 哦 嘛 …) are
dropped, except inside the few words where the character carries meaning (哈尔滨, 干嘛 …).

Conversion is per character on purpose: every folded character then comes from exactly one
original character, so a match can be reported as a span of what the agent actually wrote
or said. (OpenCC's phrase-level variants only matter for words our phrases never contain.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

BOUNDARY = "\n"
# Fillers: interjections and sentence-final particles that change no meaning a rule asks for.
# Not here: 吗 么 吧 (they make questions and requests), 了 (aspect), 喂 嘿 (forbidden ways
# of addressing the caller, seed 001 §6.9).
FILLERS = "嗯啊呀哈啦呢哦嘛噢喔呃哟诶欸哎唉喽咯嘞哒呗"
# Words in which a filler character is a real syllable.
KEPT_WORDS = ("哈尔滨", "哈密", "哈达", "呢绒", "呢子", "干嘛", "啦啦队", "喔喔")
# Erhua: a 儿 suffixed to a word (这事儿, 一会儿, 哪儿) is dropped like a filler, so 这事儿
# = 这事; kept where 儿 is a syllable of its own (儿子, 女儿, 婴儿 …).
ERHUA = "儿"
_KEPT_ERHUA_TEXT = (
    "儿子 儿童 儿女 儿科 儿媳 儿孙 儿歌 儿时 女儿 婴儿 幼儿 孤儿 胎儿 健儿 宠儿 孙儿 男儿 "
    "小儿 患儿 托儿 新生儿"
)
KEPT_ERHUA = tuple(_KEPT_ERHUA_TEXT.split())
_KEPT = sorted(KEPT_WORDS + KEPT_ERHUA, key=len, reverse=True)
# The lookahead on their first characters keeps the kept words from being tried everywhere.
_FILLER_RE = re.compile(
    "(?=["
    + "".join(sorted({w[0] for w in _KEPT}))
    + "])("
    + "|".join(map(re.escape, _KEPT))
    + ")|["
    + FILLERS
    + ERHUA
    + "]",
)
# Colloquial and variant spellings folded to the standard word (one character may become
# two): 啥 = 什么, 咋 = 怎么, 啰嗦/啰唆 = 罗嗦.
COLLOQUIAL = {"啥": "什么", "咋": "怎么", "啰": "罗", "唆": "嗦"}
# Synonyms folded to the word the patterns use, each the same length as its replacement (so
# every folded character still comes from one original character): 讲 = 说 (你到底在讲什么,
# 请讲), 久候 = 久等 (让您久候了). Applied to the per-character fold, before fillers are dropped.
SYNONYMS = {"讲": "说", "久候": "久等"}
assert all(len(k) == len(v) for k, v in SYNONYMS.items())
_SYNONYM_RE = re.compile("|".join(map(re.escape, sorted(SYNONYMS, key=len, reverse=True))))


def _synonyms(folded: str) -> str:
    return _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group()], folded)


_BOUNDARY_RUN = re.compile(BOUNDARY + "+")
_converter = opencc.OpenCC("t2s")


def _fold_char(ch: str) -> str:
    simple = COLLOQUIAL.get(ch) or _converter.convert(ch)
    out: list[str] = []
    for c in unicodedata.normalize("NFKC", simple).casefold():
        kind = unicodedata.category(c)
        if kind[0] in "PZ" or kind == "Cc":
            out.append(BOUNDARY)
        elif kind[0] == "S" or kind[0] == "C":
            continue  # symbols, emoji, format characters
        else:
            out.append(c)
    return "".join(out)


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character (one C pass per text)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def _drop_fillers(folded: str) -> str:
    return _FILLER_RE.sub(lambda m: m.group(1) or "", folded)


def fold(text: str) -> str:
    """Folded text with clause boundaries (``\\n``), fillers dropped; boundaries collapsed."""
    return _BOUNDARY_RUN.sub(BOUNDARY, _drop_fillers(_synonyms(text.translate(_TABLE)))).strip(
        BOUNDARY
    )


@lru_cache(maxsize=8192)
def flat(text: str) -> str:
    """Folded text without boundaries: what literal pattern pieces are compared with."""
    return fold(text).replace(BOUNDARY, "")


@dataclass
class Folded:
    """One segment (a message or an utterance): its folded forms and, when asked for, the
    original index of every folded character."""

    original: str
    clauses: str  # folded, clause boundaries as "\n"
    flat: str  # folded, no boundaries
    _flat_origin: list[int] | None = field(default=None, repr=False)
    _clause_origin: list[int] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, text: str) -> Folded:
        clauses = fold(text)
        return cls(text, clauses, clauses.replace(BOUNDARY, ""))

    def _folded(self) -> tuple[str, list[int]]:
        """The per-character fold before fillers and boundaries are dealt with, and the
        original index of each of its characters."""
        pieces = [_TABLE[ord(ch)] for ch in self.original]
        folded = _synonyms("".join(pieces))
        if len(folded) == len(pieces):  # the usual case: one character each
            return folded, list(range(len(pieces)))
        return folded, [i for i, piece in enumerate(pieces) for _ in piece]

    def _flat_origins(self) -> list[int]:
        folded, origin = self._folded()
        removed = {m.start() for m in _FILLER_RE.finditer(folded) if m.group(1) is None}
        out = [origin[k] for k, ch in enumerate(folded) if ch != BOUNDARY and k not in removed]
        # The slow walk must agree with the fast fold, or spans would point at wrong text.
        assert len(out) == len(self.flat), (self.original, self.flat)
        return out

    def _clause_origins(self) -> list[int]:
        folded, origin = self._folded()
        removed = {m.start() for m in _FILLER_RE.finditer(folded) if m.group(1) is None}
        chars: list[str] = []
        out: list[int] = []
        for k, ch in enumerate(folded):
            if k in removed or (ch == BOUNDARY and (not chars or chars[-1] == BOUNDARY)):
                continue
            chars.append(ch)
            out.append(origin[k])
        if chars and chars[-1] == BOUNDARY:
            chars.pop()
            out.pop()
        assert "".join(chars) == self.clauses, (self.original, self.clauses)
        return out

    def span(self, start: int, end: int, *, in_clauses: bool = False) -> tuple[int, int]:
        """Original ``[start, end)`` of folded ``[start, end)`` (flat or clause form)."""
        if in_clauses:
            if self._clause_origin is None:
                self._clause_origin = self._clause_origins()
            origin = self._clause_origin
        else:
            if self._flat_origin is None:
                self._flat_origin = self._flat_origins()
            origin = self._flat_origin
        if end <= start:
            at = origin[start] if start < len(origin) else len(self.original)
            return at, at
        return origin[start], origin[end - 1] + 1
