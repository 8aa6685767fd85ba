"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Layout (18 characters):
  1     registration authority (登记管理部门代码, e.g. 9 = market regulation, 5 = civil affairs)
  2     entity category (机构类别代码)
  3-8   registering authority's administrative division code (GB/T 2260, six digits)
  9-17  subject identifier (主体标识码, the former organisation code)
  18    check character

Charset: 0-9 and A-H J-N P-R T-U W-Y (31 symbols; I, O, S, V, Z are never used), valued 0..30 in
that order. Check character: C18 = 31 - (Σ Ci·Wi mod 31), with 31 written as 0, and the weights
Wi = 3^(i-1) mod 31 = 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28.
Cross-checked against python-stdnum's `stdnum.cn.uscc` and published real codes (tests).

Some codes issued by early pilot regions before the standard (e.g. 91350211M00013FA1N) do not
satisfy it; they are rejected here like any other invalid code.
"""

from __future__ import annotations

import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}


def _clean(code: str) -> str:
    # NFKC turns full-width letters/digits (common in pasted Chinese documents) into ASCII;
    # spaces and hyphens are only ever visual grouping.
    text = unicodedata.normalize("NFKC", code)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def _check_chars(code: str, start: int = 1) -> None:
    for pos, ch in enumerate(code, start=start):
        if ch not in _VALUE:
            hint = " (I, O, S, V, Z are never used)" if ch in "IOSVZ" else ""
            raise ValueError(
                f"unified social credit code: bad character {ch!r} at position {pos}{hint}"
            )


def uscc_check_char(first17: str) -> str:
    """Check character for the first 17 characters of a code."""
    body = _clean(first17)
    if len(body) != LENGTH - 1:
        raise ValueError(
            f"unified social credit code: need the first 17 characters, got {len(body)}"
        )
    _check_chars(body)
    total = sum(_VALUE[ch] * w for ch, w in zip(body, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return the normalised (upper-case, no separators) code, or raise ValueError saying why."""
    if not isinstance(code, str):
        raise ValueError(f"unified social credit code: expected text, got {type(code).__name__}")
    norm = _clean(code)
    if len(norm) != LENGTH:
        raise ValueError(
            f"unified social credit code: must be {LENGTH} characters, got {len(norm)}"
        )
    _check_chars(norm)
    for pos in range(3, 9):
        if not norm[pos - 1].isdigit():
            raise ValueError(
                f"unified social credit code: position {pos} must be a digit "
                f"(positions 3-8 are the GB/T 2260 region code), got {norm[pos - 1]!r}"
            )
    expected = uscc_check_char(norm[:17])
    if norm[17] != expected:
        raise ValueError(
            f"unified social credit code: checksum mismatch, last character is {norm[17]!r}, "
            f"expected {expected!r}"
        )
    return norm


def is_valid_uscc(code: str) -> bool:
    try:
        validate_uscc(code)
    except ValueError:
        return False
    return True
