"""What makes two complaints the same complaint arriving twice (issue 20, cross-source duplicates).

Two complaints of the same key (operator, region, issue) and the same judged date are
duplicates when their **normalised summaries** are equal or their **complainant contacts** are.
Only fingerprints are stored:

* ``summary_hash`` — SHA-256 (first 32 hex digits) of the summary after NFKC, traditional →
  simplified Chinese (OpenCC ``t2s``), case folding, and removal of whitespace, punctuation
  and symbols. The summary itself is stored beside it, so nothing is hidden by hashing; the
  digest keeps the comparison to one short column. An empty normalised summary has no
  fingerprint (two empty summaries are not evidence of anything).
* ``contact_hash`` — HMAC-SHA-256 (first 32 hex digits) of the normalised contact: a phone
  number in E.164 (``phonenumbers``, region CN for numbers without a country code), or an
  e-mail address lower-cased. The contact itself is never stored: a plain hash of a phone
  number is reversed by trying every number, so the hash is keyed with a per-installation
  secret (``AUDIT_CONTACT_HASH_KEY``, else a random key kept in ``var/contact-hash-key``,
  0600). Changing the key stops new complaints matching old ones; nothing else depends on it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from functools import lru_cache
from typing import Any

import phonenumbers

try:  # OpenCC is in the venv; without it traditional and simplified forms differ
    import opencc

    _T2S: Any = opencc.OpenCC("t2s")
except ImportError:  # pragma: no cover - exercised only without OpenCC
    _T2S = None

CONTACT_MAX = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = re.compile(r"^[+0-9()\-\s.]+$")


class BadContact(ValueError):
    """The contact is neither a phone number nor an e-mail address."""


def _is_dropped(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "PZSC"  # punctuation, separators (spaces), symbols, controls


# The removal as one str.translate over a table of the first two planes (built once, ~40 ms;
# the emoji are in plane 1): a list indexed by code point is looked up in C without exceptions
# (~1 µs a summary, where a Python loop over the characters cost ~5 µs — a million-row import
# pays it per row). Characters beyond it (CJK extensions B+, letters) are kept as they are.
_TABLE: list[int | None] = [None if _is_dropped(chr(cp)) else cp for cp in range(0x20000)]


def normalise_summary(text: str) -> str:
    """NFKC, t2s, casefold, whitespace/punctuation/symbols removed."""
    s = unicodedata.normalize("NFKC", text)
    if not s.isascii() and _T2S is not None:
        s = _T2S.convert(s)
    return s.casefold().translate(_TABLE)


def summary_hash(text: str) -> str:
    """The summary's fingerprint, or "" when nothing is left after normalisation."""
    norm = normalise_summary(text)
    if not norm:
        return ""
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


def normalise_contact(value: str) -> str:
    """E.164 for a phone number, lower case for an e-mail address, "" for nothing given.

    Raises :class:`BadContact` for anything else (a masked number like ``138****1234``
    cannot be compared and is refused rather than stored as a guess)."""
    v = unicodedata.normalize("NFKC", value).strip()
    if not v:
        return ""
    if len(v) > CONTACT_MAX:
        raise BadContact(f"contact is longer than {CONTACT_MAX} characters")
    if "@" in v:
        if not _EMAIL.match(v):
            raise BadContact("contact is not a valid e-mail address")
        return v.lower()
    if not _PHONE_CHARS.match(v):
        raise BadContact("contact is neither a phone number nor an e-mail address")
    try:
        num = phonenumbers.parse(v, "CN")
    except phonenumbers.NumberParseException as exc:
        raise BadContact("contact is not a valid phone number") from exc
    if not phonenumbers.is_possible_number(num):
        raise BadContact("contact is not a valid phone number")
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _key_path() -> Any:
    from audit.settings import get_settings

    return get_settings().var_dir / "contact-hash-key"


@lru_cache(maxsize=8)
def _hash_key(path: str, configured: str | None) -> bytes:
    if configured:
        return configured.encode("utf-8")
    p = _key_path()
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return p.read_text().strip().encode("utf-8")


def contact_key() -> bytes:
    from audit.settings import get_settings

    s = get_settings()
    configured = s.contact_hash_key.get_secret_value() if s.contact_hash_key else None
    return _hash_key(str(_key_path()), configured)


def contact_hash(normalised: str, key: bytes | None = None) -> str:
    """Keyed fingerprint of a normalised contact ("" when there is none)."""
    if not normalised:
        return ""
    k = key if key is not None else contact_key()
    return hmac.new(k, normalised.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


class Deduper:
    """Finds the first complaint a new one duplicates, among the *originals* seen so far.

    Feed complaints in id order (:meth:`original` for stored ones, :meth:`check` for new ones):
    a complaint is a duplicate of the lowest-id original of its key and date that shares its
    summary fingerprint or its contact fingerprint; a complaint that is not a duplicate becomes
    an original itself. Duplicates are never the target of another duplicate (no chains).
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, ...], int] = {}

    def original(self, cid: int, key: int, day: Any, s_hash: str, c_hash: str) -> None:
        seen = self._seen
        if s_hash:
            seen.setdefault((key, day, 0, s_hash), cid)
        if c_hash:
            seen.setdefault((key, day, 1, c_hash), cid)

    def check(self, cid: int, key: int, day: Any, s_hash: str, c_hash: str) -> int | None:
        """The id this complaint duplicates, or None (it is then an original)."""
        seen = self._seen
        a = seen.get((key, day, 0, s_hash)) if s_hash else None
        b = seen.get((key, day, 1, c_hash)) if c_hash else None
        if a is not None or b is not None:
            return min(x for x in (a, b) if x is not None)
        self.original(cid, key, day, s_hash, c_hash)
        return None


# Review states: "" not a duplicate; "pending" flagged, awaiting review (counted once);
# "confirmed" a reviewer agreed (counted once); "rejected" a reviewer said it is a complaint of
# its own (counted).
DUPLICATE_STATES = ("", "pending", "confirmed", "rejected")
COUNTED_ONCE = ("pending", "confirmed")
