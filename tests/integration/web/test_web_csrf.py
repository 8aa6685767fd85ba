"""CSRF (issue 16 item 9): a browser that sends the session cookie with a forged cross-site
request — an urlencoded form, or JSON disguised as text/plain — is refused; the same write with
the page's CSRF token goes through; bearer-token API clients need no token."""

from __future__ import annotations

import json
from typing import Any

from tests.web import csrf_token

EVIL = {"Origin": "http://evil.example", "Referer": "http://evil.example/x"}


async def _cookie_session(client: Any, cast: Any, who: str = "supervisor") -> None:
    from audit.domain.accounts.services import start_session
    from audit.settings import get_settings

    token = await start_session(cast.users[who], 1)
    client.cookies.set(get_settings().session_cookie, token)


async def _operator_names() -> set[str]:
    from audit.domain.operators.tables import Operator

    return {r["name"] for r in await Operator.select(Operator.name).run()}


async def test_forged_text_plain_json_with_the_session_cookie_is_refused(
    client: Any, cast: Any
) -> None:
    await _cookie_session(client, cast)
    body = json.dumps({"name": "伪造通信公司"})
    r = await client.post(
        "/operators", content=body, headers={**EVIL, "Content-Type": "text/plain"}
    )
    assert r.status_code == 403
    assert "伪造通信公司" not in await _operator_names()


async def test_forged_urlencoded_form_with_the_session_cookie_is_refused(
    client: Any, cast: Any
) -> None:
    await _cookie_session(client, cast)
    r = await client.post("/operators", data={"name": "伪造通信公司"}, headers=EVIL)
    assert r.status_code == 403
    r = await client.post("/notices/1/revoke", data={"reason": "forged"}, headers=EVIL)
    assert r.status_code == 403
    assert "伪造通信公司" not in await _operator_names()


async def test_the_same_write_with_the_csrf_token_goes_through(client: Any, cast: Any) -> None:
    await _cookie_session(client, cast)
    token = await csrf_token(client)
    r = await client.post(
        "/operators", json={"name": "真实通信公司"}, headers={"X-CSRFToken": token}
    )
    assert r.status_code == 201, r.text
    assert "真实通信公司" in await _operator_names()


async def test_a_token_from_another_cookie_does_not_count(client: Any, cast: Any) -> None:
    await _cookie_session(client, cast)
    await csrf_token(client)
    from litestar.middleware.csrf import generate_csrf_token

    forged = generate_csrf_token("not the server's secret")
    r = await client.post(
        "/operators", json={"name": "伪造通信公司"}, headers={"X-CSRFToken": forged}
    )
    assert r.status_code == 403


async def test_bearer_token_clients_need_no_csrf_token(client: Any, cast: Any) -> None:
    r = await client.post(
        "/operators", json={"name": "接口通信公司"}, headers=cast.headers("admin")
    )
    assert r.status_code == 201, r.text


async def test_json_endpoints_refuse_other_content_types_with_415(client: Any, cast: Any) -> None:
    h = cast.headers("admin")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        r = await client.post(
            "/operators",
            content=json.dumps({"name": "类型通信公司"}),
            headers={**h, "Content-Type": content_type},
        )
        assert r.status_code == 415, (content_type, r.text)
    r = await client.post(
        "/operators",
        content=json.dumps({"name": "类型通信公司"}),
        headers={**h, "Content-Type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 201
    assert "类型通信公司" in await _operator_names()


async def test_page_forms_need_the_token_even_without_a_session(client: Any, cast: Any) -> None:
    r = await client.post("/login", data={"username": "admin", "password": "x"}, headers=EVIL)
    assert r.status_code == 403
    assert "text/html" in r.headers["content-type"]
    assert "表单已无法提交" in r.text  # says what happened, not "your role may not"


async def test_api_callers_are_told_which_token_is_missing(client: Any, cast: Any) -> None:
    await _cookie_session(client, cast)
    r = await client.post("/operators", json={"name": "x"})
    assert r.status_code == 403 and "X-CSRFToken" in r.json()["detail"]
