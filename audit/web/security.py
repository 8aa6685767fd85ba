"""Browser-facing protections: CSRF on cookie-authenticated writes, JSON-only JSON bodies,
and the security headers (CSP without inline script, no framing, Referrer-Policy).

CSRF follows Litestar's double-submit token (``CSRFMiddleware``: a signed token in the
``audit_csrf`` cookie, echoed in the ``X-CSRFToken`` header or the ``_csrf_token`` form field),
applied to every unsafe request that a browser could forge:

- the request carries the session cookie (any cookie-authenticated write, API or page), or
- the route is a page (``opt={"page": True}``: the login and language forms are anonymous).

Requests with an ``Authorization`` header (API tokens) are exempt: a cross-site page cannot
set that header without a CORS preflight, which this app never grants. Webhooks carry neither
cookie nor page opt and keep their own signatures.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.middleware.csrf import CSRFMiddleware
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from audit.settings import get_settings

CSRF_COOKIE = "audit_csrf"
CSRF_HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = [
    ("content-security-policy", CSP),
    ("referrer-policy", "same-origin"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
]


def csrf_secret() -> str:
    """``AUDIT_CSRF_SECRET``, else a random secret kept in ``var/csrf-secret`` (0600), so every
    process of one installation signs tokens alike."""
    settings = get_settings()
    if settings.csrf_secret is not None:
        return settings.csrf_secret.get_secret_value()
    path = settings.var_dir / "csrf-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


def csrf_config() -> CSRFConfig:
    settings = get_settings()
    return CSRFConfig(
        secret=csrf_secret(),
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=settings.session_cookie_secure,
        cookie_samesite="strict",
        cookie_httponly=False,  # HTMX and the Swagger page read it to send the header
    )


def _is_page(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return bool(handler is not None and handler.opt.get("page"))


class CSRFFailed(PermissionDeniedException):
    """403: the request lacks the CSRF token of this browser (a forged or stale form)."""


class AuditCSRFMiddleware(CSRFMiddleware):
    """Litestar's CSRF check, limited to the requests a browser can forge (see module doc)."""

    def __init__(self, app: ASGIApp, config: CSRFConfig | None = None) -> None:
        super().__init__(app, config or csrf_config())
        self._session_cookie = get_settings().session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") not in SAFE_METHODS:
            headers = dict(scope.get("headers") or [])
            if b"authorization" in headers:
                await self.app(scope, receive, send)
                return
            cookies = headers.get(b"cookie", b"").decode("latin-1")
            has_session = any(
                part.strip().partition("=")[0] == self._session_cookie
                for part in cookies.split(";")
            )
            if not has_session and not _is_page(scope):
                await self.app(scope, receive, send)
                return
        try:
            await super().__call__(scope, receive, send)
        except PermissionDeniedException as exc:
            if exc.detail != "CSRF token verification failed":
                raise
            raise CSRFFailed(
                "CSRF token missing or wrong: send the X-CSRFToken header (or the _csrf_token "
                "form field) with the value of the audit_csrf cookie"
            ) from None


def _json_body_expected(handler: Any) -> bool:
    """Does this handler read its ``data`` as JSON (``JSONBody`` or the default body)?"""
    cached = handler.opt.get("_json_body")
    if cached is not None:
        return bool(cached)
    field = handler.parsed_fn_signature.parameters.get("data")
    expected = False
    if field is not None:
        kwarg = field.kwarg_definition
        media = getattr(kwarg, "media_type", RequestEncodingType.JSON)
        expected = media == RequestEncodingType.JSON
    handler.opt["_json_body"] = expected
    return expected


def _is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def json_content_type_middleware(app: ASGIApp) -> ASGIApp:
    """JSON endpoints answer 415 to any other content type (a cross-site form can only send
    urlencoded, multipart or text/plain bodies without a preflight)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") not in SAFE_METHODS:
            handler = scope.get("route_handler")
            headers = dict(scope.get("headers") or [])
            has_body = headers.get(b"content-length", b"0") != b"0" or (
                b"transfer-encoding" in headers
            )
            if has_body and handler is not None and _json_body_expected(handler):
                content_type = headers.get(b"content-type", b"").decode("latin-1")
                if not _is_json(content_type):
                    raise HTTPException(
                        status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                        detail="this endpoint accepts application/json only",
                    )
        await app(scope, receive, send)

    return middleware


async def add_security_headers(message: Message, scope: Scope) -> None:
    """``before_send`` hook: every answer, errors and unknown paths included."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS:
            if name not in headers:
                headers.add(name, value)
