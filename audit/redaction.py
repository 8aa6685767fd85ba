"""Secrets out of the logs: the one structlog processor every log line passes through.

It runs after tracebacks are rendered to text (``format_exc_info``) and before the renderer, so
the console and the JSON format get the same treatment, and so do records from the standard
``logging`` module (routed through structlog's ``ProcessorFormatter``, see audit/logging.py).

What counts as a secret:
* values under a secret-sounding key (``password``, ``token``, ``authorization``, ``cookie`` …),
  at any depth, including ASGI header pairs such as ``(b"authorization", b"Bearer …")``;
* text that looks like one: bearer/basic credentials, our API tokens (``sqa_…``), the password
  in a URL (``postgresql://user:PASSWORD@host``), ``password=…``/``"token": "…"`` pairs,
  ``Cookie:``/``Authorization:`` header lines and the session cookie;
* the configured secrets themselves (Twilio auth token, signing passphrase, database
  password), wherever they appear.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any

MASK = "[REDACTED]"

# Keys whose value is a secret whatever it looks like (matched case-insensitively, anywhere in
# the key: "auth_token", "X-Twilio-Signature", "new_password", "set-cookie" …).
_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?$|passw|secret|token|authori[sz]ation|cookie|api[_-]?key|"
    r"signature|credential|private[_-]?key|session",
    re.IGNORECASE,
)
# Keys that contain one of the words above but hold no secret.
_HARMLESS_KEYS = frozenset({"request_id", "tokens_revoked", "session_ttl_hours"})

_WORDS = r"password|passwd|passphrase|secret|auth_?token|api_?key|token|access_token|sessionid"
# Replacements are functions, not templates: a template makes ``re`` import its parser, which
# fails while the interpreter shuts down (asyncio still logs then).
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # URL userinfo: scheme://user:PASSWORD@host
    (
        re.compile(r"([a-z][a-z0-9+.-]*://[^\s:/@'\"]*):([^\s@/'\"]+)@", re.IGNORECASE),
        lambda m: f"{m[1]}:{MASK}@",
    ),
    # Authorization: Bearer xyz / Basic xyz
    (
        re.compile(r"\b(bearer|basic|digest|token)\s+[A-Za-z0-9._~+/=-]{6,}", re.IGNORECASE),
        lambda m: f"{m[1]} {MASK}",
    ),
    # our personal API tokens, wherever they appear
    (re.compile(r"\bsqa_[A-Za-z0-9_-]{4,}"), lambda m: "sqa_" + MASK),
    # header lines / pairs: "Cookie: a=b; c=d", "authorization', b'…'"
    (
        re.compile(
            r"((?:set-)?cookie|authorization|x-twilio-signature)(['\"]?\s*[:=,]\s*(?-i:b)?['\"]?)[^'\"\n\r]+",
            re.IGNORECASE,
        ),
        lambda m: f"{m[1]}{m[2]}{MASK}",
    ),
    # key=value, key: value, 'key': 'value', "key": "value" (reprs, query strings, JSON)
    (
        re.compile(
            rf"(\b(?:[a-z0-9_]*(?:{_WORDS}))['\"]?\s*[:=]\s*)(b?['\"])(.*?)(\2)", re.IGNORECASE
        ),
        lambda m: f"{m[1]}{m[2]}{MASK}{m[4]}",
    ),
    (
        re.compile(
            rf"(\b(?:[a-z0-9_]*(?:{_WORDS}))\s*[:=]\s*)(?!['\"\[])[^\s&,;)}}\]]+", re.IGNORECASE
        ),
        lambda m: f"{m[1]}{MASK}",
    ),
]


class Redactor:
    """The structlog processor; ``literals`` are secret values to mask wherever they appear."""

    def __init__(self, literals: Iterable[str] = (), cookie_names: Iterable[str] = ()) -> None:
        # Longest first, and nothing too short to be a secret (it would mask ordinary words).
        self.literals = sorted({s for s in literals if s and len(s) >= 6}, key=len, reverse=True)
        names = [re.escape(n) for n in cookie_names if n]
        self.cookie = re.compile(rf"\b({'|'.join(names)})=[^;\s'\"]+") if names else None

    def __call__(
        self, logger: Any, method: str, event_dict: MutableMapping[str, Any]
    ) -> dict[str, Any]:
        try:
            return {k: self.value(k, v) for k, v in event_dict.items()}
        except Exception:  # never let an unredacted line through (e.g. at interpreter exit)
            return {"event": "[log line withheld: it could not be redacted]"}

    # ---- values ---------------------------------------------------------------------------
    def value(self, key: Any, value: Any, depth: int = 0) -> Any:
        if value is None or isinstance(value, bool | int | float):
            return value
        if is_secret_key(key):
            return MASK
        if depth > 20:  # deeper than any log line has reason to be
            return "[nested too deep]"
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes | bytearray):
            return self.text(bytes(value).decode("latin-1"))
        if isinstance(value, Mapping):
            return {k: self.value(k, v, depth + 1) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            items = list(value)
            if (
                len(items) == 2
                and isinstance(items[0], str | bytes)
                and is_secret_key(_s(items[0]))
            ):
                return (_s(items[0]), MASK)  # a header pair
            out = [self.value(None, v, depth + 1) for v in items]
            return out if isinstance(value, list) else tuple(out)
        # Anything else is rendered by its repr: mask that text.
        return self.text(repr(value))

    def text(self, text: str) -> str:
        for secret in self.literals:
            if secret in text:
                text = text.replace(secret, MASK)
        if self.cookie is not None:
            text = self.cookie.sub(lambda m: f"{m[1]}={MASK}", text)
        for pattern, repl in _PATTERNS:
            text = pattern.sub(repl, text)
        return text


def _s(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def is_secret_key(key: Any) -> bool:
    if not isinstance(key, str | bytes):
        return False
    name = _s(key)
    return name.lower() not in _HARMLESS_KEYS and bool(_SECRET_KEY.search(name))


def settings_secrets(settings: Any) -> list[str]:
    """The secret values configured in ``settings`` (masked literally in every line)."""
    from urllib.parse import unquote, urlsplit

    out: list[str] = []
    for name in ("twilio_auth_token", "signing_p12_passphrase"):
        secret = getattr(settings, name, None)
        if secret is not None:
            out.append(secret.get_secret_value())
    for name in ("database_url", "broker_url"):
        url = getattr(settings, name, None)
        if url:
            password = urlsplit(url).password
            if password:
                out.extend({password, unquote(password)})
    return out
