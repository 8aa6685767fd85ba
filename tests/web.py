"""Helpers for tests of the web pages over HTTP (the browser tests drive Chromium instead)."""

from __future__ import annotations

from typing import Any

from tests.conftest import CAST_PASSWORD

CSRF_COOKIE = "audit_csrf"


async def csrf_token(client: Any) -> str:
    """The CSRF token a browser would hold: any page sets the cookie, forms echo it."""
    if CSRF_COOKIE not in client.cookies:
        r = await client.get("/login")
        assert r.status_code in (200, 303), r.text
    return str(client.cookies[CSRF_COOKIE])


async def form_login(client: Any, username: str, password: str = CAST_PASSWORD) -> Any:
    token = await csrf_token(client)
    return await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": token},
        follow_redirects=False,
    )


async def post_form(client: Any, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """A form post as the page's own form sends it (with the CSRF field)."""
    token = await csrf_token(client)
    return await client.post(url, data={**data, "_csrf_token": token}, **kwargs)
