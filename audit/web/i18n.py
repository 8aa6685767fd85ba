"""Translations for the web UI: gettext catalogs (Babel), the language of the current request.

Message ids are English; ``zh_CN`` is the one catalog (the default language of the UI), and
English is the message ids themselves. The language of a request is set once by
:func:`locale_middleware` (account preference, else the ``audit_lang`` cookie, else
``Accept-Language``, else zh-CN) and read through a context variable, so ``_()`` works the
same in templates, page controllers and services called by them.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_datetime
from babel.support import NullTranslations, Translations
from litestar.types import ASGIApp, Receive, Scope, Send

from audit.settings import get_settings

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "zh-CN"
# language tag → (Babel locale, name shown in the switch, in its own language)
LANGUAGES: dict[str, tuple[str, str]] = {"zh-CN": ("zh_Hans_CN", "中文"), "en": ("en", "English")}
LANG_COOKIE = "audit_lang"

language_var: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:  # the conventional name of gettext's no-op marker
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()  # English is the message ids
    catalog = language.replace("-", "_")
    mo = LOCALE_DIR / catalog / "LC_MESSAGES" / "messages.mo"
    if not mo.exists():
        raise RuntimeError(f"compiled catalog {mo} is missing: run `make setup` (pybabel compile)")
    return Translations.load(str(LOCALE_DIR), [catalog])


def raw_gettext(message: str) -> str:
    """gettext without formatting (Jinja's new-style gettext formats the result itself)."""
    return translations(language_var.get()).gettext(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(language_var.get()).ngettext(singular, plural, n)


def gettext(message: str, /, **variables: Any) -> str:
    text = translations(language_var.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, /, **variables: Any) -> str:
    text = translations(language_var.get()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def normalise(tag: str | None) -> str | None:
    """One of :data:`LANGUAGES` for a language tag (``zh``, ``zh-Hans-CN``, ``en-GB``…), or None."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if primary == "zh":
        return "zh-CN"
    if primary == "en":
        return "en"
    return None


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an ``Accept-Language`` header (q-values honoured)."""
    choices: list[tuple[float, int, str]] = []
    for pos, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = normalise(tag)
        if lang and q > 0:
            choices.append((-q, pos, lang))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def language_for(scope: Scope) -> str:
    user = scope.get("user")
    if user and normalise(user.get("language")):
        return normalise(user.get("language")) or DEFAULT_LANGUAGE
    headers = dict(scope.get("headers") or [])
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANG_COOKIE and normalise(value):
            return normalise(value) or DEFAULT_LANGUAGE
    return negotiate(headers.get(b"accept-language", b"").decode("latin-1"))


def locale_middleware(app: ASGIApp) -> ASGIApp:
    """Sets the request's language (after authentication, which knows the account)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        token = language_var.set(language_for(scope))
        try:
            await app(scope, receive, send)
        finally:
            language_var.reset(token)

    return middleware


def babel_locale() -> Locale:
    return Locale.parse(LANGUAGES[language_var.get()][0])


def localtime(value: dt.datetime | str | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A stored UTC time shown in the regulator's zone (``AUDIT_TIMEZONE``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value, fmt, tzinfo=get_settings().zone, locale=babel_locale())
