"""Who reaches which page: anonymous callers go to the login (with the page they wanted),
operator users get 404 on every staff page (as the API answers for records they may not see),
expired sessions go back to the login and then to the wanted page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.conftest import CAST_PASSWORD
from tests.web import form_login, post_form


def _page_routes(app: Any) -> list[tuple[str, Any]]:
    """(GET path with ids filled in, handler) of every page."""
    out = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if handler.opt.get("page") and "GET" in handler.http_methods:
                out.append((re.sub(r"\{[^}]+\}", "1", route.path), handler))
    return out


def _roles_of(handler: Any) -> set[str]:
    """The roles a page's ``page_needs`` guard admits (empty: the page is public)."""
    roles: set[str] = set()
    for guard in handler.guards or []:
        roles |= set(getattr(guard, "roles", ()))
    return roles


async def test_operator_users_get_404_on_every_staff_page(app: Any, client: Any, cast: Any) -> None:
    pages = [
        (p, h) for p, h in _page_routes(app) if _roles_of(h) and "operator" not in _roles_of(h)
    ]
    await form_login(client, "op_a")
    for path, _ in pages:
        r = await client.get(path, follow_redirects=False)
        assert r.status_code == 404, (path, r.status_code)
        assert "text/html" in r.headers["content-type"]


async def test_anonymous_callers_are_sent_to_the_login_with_the_wanted_page(
    app: Any, client: Any, cast: Any
) -> None:
    guarded = [p for p, h in _page_routes(app) if _roles_of(h)]
    assert guarded, "no guarded page found"
    for path in guarded:
        r = await client.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        expected = "/login" if path == "/" else f"/login?next={path}"
        assert r.headers["location"] == expected, path


async def test_expired_session_returns_to_login_and_then_to_the_wanted_page(
    client: Any, cast: Any
) -> None:
    from audit.domain.accounts.tables import WebSession

    await form_login(client, "supervisor")
    await WebSession.update(
        {WebSession.expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)}
    ).where(WebSession.user == cast.users["supervisor"]["id"])
    r = await client.get("/?tab=mine", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/%3Ftab%3Dmine&expired=1"
    page = await client.get(r.headers["location"])
    assert "登录已过期" in page.text
    wanted = re.search(r'id="login-next" name="next" value="([^"]*)"', page.text)
    assert wanted and wanted.group(1) == "/?tab=mine"
    r = await post_form(
        client,
        "/login",
        {"username": "supervisor", "password": CAST_PASSWORD, "next": wanted.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/?tab=mine"


async def test_htmx_requests_get_a_client_redirect(client: Any, cast: Any) -> None:
    r = await client.get(
        "/",
        headers={"HX-Request": "true", "HX-Current-URL": "https://testserver.local/?tab=x"},
        follow_redirects=False,
    )
    assert r.status_code == 200
    assert r.headers["hx-redirect"] == "/login?next=/%3Ftab%3Dx"


async def test_login_never_redirects_to_another_site(client: Any, cast: Any) -> None:
    from tests.web import csrf_token

    token = await csrf_token(client)
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = await client.post(
            "/login",
            data={
                "username": "admin",
                "password": "correct horse battery staple",
                "next": evil,
                "_csrf_token": token,
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == "/", evil
