"""Pinyin for homophone-tolerant matching of voice transcripts (pypinyin, toneless).

Speech recognisers write the right sound with the wrong character (中国一动 for 中国移动,
你凡不凡 for 你烦不烦). Comparing syllables instead of characters forgives that. Syllables
are folded the way Chinese input methods' "fuzzy pinyin" does for common accent and
recognition confusions: zh/z, ch/c, sh/s, n/l, and the -ng finals in/ing, en/eng.

A text becomes one token per folded character ("zon guo yi don "); a pattern character
becomes the alternation of all its readings (行 → xin|han), so a polyphonic character in
the text needs only its most common reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FINALS = (("ing", "in"), ("eng", "en"))


def _fold_syllable(s: str) -> str:
    for a, b in _INITIALS:
        if s.startswith(a):
            s = b + s[len(a) :]
            break
    for a, b in _FINALS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=16384)
def primary(ch: str) -> str:
    """The folded most common reading of a character (the character itself if not Han)."""
    if not is_han(ch):
        return ch
    return _fold_syllable(lazy_pinyin(ch, style=Style.NORMAL)[0])


@lru_cache(maxsize=16384)
def readings(ch: str) -> tuple[str, ...]:
    """All folded readings of a character (heteronyms), most common first."""
    if not is_han(ch):
        return (ch,)
    found = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(_fold_syllable(r) for r in found))


def char_regex(ch: str) -> str:
    """Regex for one pattern character over a token string."""
    options = readings(ch)
    body = (
        re.escape(options[0])
        if len(options) == 1
        else "(?:" + "|".join(map(re.escape, options)) + ")"
    )
    return body + " "


@dataclass(frozen=True)
class Tokens:
    """A folded text as pinyin tokens, with each token's start offset (for spans)."""

    text: str
    starts: tuple[int, ...]  # starts[i] = offset in ``text`` of the token of character i

    @classmethod
    def of(cls, folded: str) -> Tokens:
        parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for ch in folded:
            token = primary(ch) + " "
            starts.append(pos)
            parts.append(token)
            pos += len(token)
        return cls("".join(parts), tuple(starts))

    @cached_property
    def syllables(self) -> tuple[str, ...]:
        """One syllable per character."""
        return tuple(self.text.split(" ")[:-1])

    @cached_property
    def initials(self) -> str:
        """One initial per character ("_" for none)."""
        return "".join(map(initial, self.syllables))

    def char_index(self, offset: int) -> int:
        """Index of the character whose token contains ``offset`` (or starts at/after it)."""
        import bisect

        i = bisect.bisect_right(self.starts, offset) - 1
        return max(i, 0)

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Characters ``[a, b)`` covered by token offsets ``[start, end)``."""
        if end <= start:
            return self.char_index(start), self.char_index(start)
        return self.char_index(start), self.char_index(end - 1) + 1


_INITIAL_LETTERS = frozenset("bpmfdtnlgkhjqxzcsryw")


def initial(syllable: str) -> str:
    """The (folded) initial of a syllable token; "_" for none (an, e, ou) or a non-Han token
    that is not a letter."""
    head = syllable[:1]
    return head if head in _INITIAL_LETTERS else "_"


def _core(final: str) -> str:
    """A final without its medial (i u v before a vowel), o heard as e, -ng as -n: what a
    recogniser is likely to mishear (le / luo, guan / guang)."""
    if len(final) > 1 and final[0] in "iuv" and final[1] in "aeiouv":
        final = final[1:]
    final = final.replace("o", "e")
    return final[:-1] if final.endswith("ng") else final


def near(a: str, b: str) -> bool:
    """Two folded syllables a recogniser confuses: the same initial, finals alike (快落 kuai
    luo for 快乐 kuai le). Syllables that differ more are not near (您 nin / 能 nen)."""
    ia, ib = initial(a), initial(b)
    if ia != ib:
        return False
    fa, fb = (a[1:], b[1:]) if ia != "_" else (a, b)
    return _core(fa) == _core(fb)


def syllables(text: str) -> str:
    """Folded pinyin of a literal (primary readings), for fuzzy comparison."""
    return "".join(primary(ch) + " " for ch in text)
