"""Authentication (session cookie or bearer token) and the permission guard.

The middleware only identifies the caller; guards decide. Anonymous callers have
``scope["user"] = None`` so public routes (health, verification, webhooks) still work.
Every guarded API route names ONE permission of the role matrix
(:data:`audit.domain.accounts.roles.MATRIX`) with :func:`require`; pages use
:func:`audit.web.pages.base.page_needs`. No route lists roles by hand (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from audit.context import Actor
from audit.domain.accounts import roles as matrix
from audit.domain.accounts import services
from audit.settings import get_settings

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


def auth_middleware(app: ASGIApp) -> ASGIApp:
    settings = get_settings()
    cookie_name = settings.session_cookie.encode()

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope["user"] = await _identify(scope, cookie_name)
            scope["auth"] = None
        await app(scope, receive, send)

    return middleware


async def _identify(scope: Scope, cookie_name: bytes) -> dict[str, Any] | None:
    headers = dict(scope.get("headers") or [])
    authz = headers.get(b"authorization", b"").decode("latin-1")
    if authz.lower().startswith("bearer "):
        token = authz[7:].strip()
        return await services.user_for_token(token) if 0 < len(token) <= 200 else None
    cookies = headers.get(b"cookie", b"")
    for part in cookies.split(b";"):
        name, _, value = part.strip().partition(b"=")
        if name == cookie_name and 0 < len(value) <= 200:
            return await services.user_for_session(value.decode("latin-1"))
    return None


def set_session_cookie(response: Any, token: str) -> None:
    """The session cookie, the same for the API login and the web form."""
    settings = get_settings()
    response.set_cookie(
        settings.session_cookie,
        token,
        httponly=True,
        secure=settings.session_cookie_secure,
        samesite="strict",  # no cross-site request carries the cookie: our CSRF defence
        max_age=settings.session_ttl_hours * 3600,
        path="/",
    )


def require(permission: str) -> Guard:
    """Guard: the caller is logged in (else 401) and their role has ``permission`` in the role
    matrix (else 403 naming the permission). An unknown permission fails at import time."""
    allowed = matrix.roles_for(permission)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException("login required (session cookie or bearer token)")
        if user["role"] not in allowed:
            raise PermissionDeniedException(
                f"role {user['role']!r} lacks permission {permission!r}"
            )

    guard.__name__ = f"require_{permission.replace('.', '_')}"
    guard.permission = permission  # type: ignore[attr-defined]  # read by the matrix test
    guard.roles = allowed  # type: ignore[attr-defined]
    return guard


def current_user(request: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    user = request.scope.get("user")
    if user is None:  # guards run first; this is a safety net
        raise NotAuthorizedException("login required")
    return user


def current_actor(request: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    return services.actor_of(current_user(request))
