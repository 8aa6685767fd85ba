"""The web UI: the login form sets the session cookie; the dashboard needs it."""

from __future__ import annotations

from typing import Any

from tests.web import form_login


async def test_dashboard_redirects_anonymous_to_login(client: Any, db: str) -> None:
    r = await client.get("/", follow_redirects=False)
    assert r.status_code in (302, 303, 307)
    assert r.headers["location"].endswith("/login")


async def test_form_login_then_dashboard_shows_only_own_operator(client: Any, cast: Any) -> None:
    r = await form_login(client, "op_a")
    assert r.status_code in (302, 303)
    page = await client.get("/")
    assert page.status_code == 200
    assert cast.operator_a["name"] in page.text
    assert cast.operator_b["name"] not in page.text


async def test_form_login_wrong_password(client: Any, cast: Any) -> None:
    r = await form_login(client, "op_a", "nope")
    assert r.status_code == 401
    assert "用户名或密码错误" in r.text  # zh-CN unless the browser asks for English
