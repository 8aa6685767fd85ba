"""Login with a session cookie, logout, and the failed-login throttle."""

from __future__ import annotations

from typing import Any

from tests.conftest import CAST_PASSWORD


async def test_login_sets_secure_http_only_cookie_and_me_works(client: Any, cast: Any) -> None:
    r = await client.post("/auth/login", json={"username": "inspector1", "password": CAST_PASSWORD})
    assert r.status_code == 200, r.text
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    me = await client.get("/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == "inspector1"


async def test_wrong_password_is_401_and_names_no_field(client: Any, cast: Any) -> None:
    r = await client.post("/auth/login", json={"username": "inspector1", "password": "nope"})
    assert r.status_code == 401
    r = await client.post("/auth/login", json={"username": "ghost", "password": "nope"})
    assert r.status_code == 401


async def test_logout_ends_the_session(client: Any, cast: Any) -> None:
    await client.post("/auth/login", json={"username": "analyst", "password": CAST_PASSWORD})
    assert (await client.get("/auth/me")).status_code == 200
    # a cookie-authenticated write sends the CSRF token that the last answer set as a cookie
    csrf = {"X-CSRFToken": client.cookies["audit_csrf"]}
    assert (await client.post("/auth/logout", headers=csrf)).status_code == 204
    client.cookies.clear()
    assert (await client.get("/auth/me")).status_code == 401


async def test_repeated_failures_are_throttled_then_even_the_right_password_waits(
    client: Any, cast: Any, settings: Any
) -> None:
    from audit.domain.accounts import services

    services.reset_login_throttle()  # a fresh window for this test
    for _ in range(settings.login_max_failures):
        r = await client.post("/auth/login", json={"username": "supervisor", "password": "bad"})
        assert r.status_code == 401
    r = await client.post("/auth/login", json={"username": "supervisor", "password": CAST_PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    # another account from the same client is not blocked
    r = await client.post("/auth/login", json={"username": "analyst", "password": CAST_PASSWORD})
    assert r.status_code == 200


async def test_inactive_user_cannot_log_in(client: Any, cast: Any) -> None:
    r = await client.patch(
        f"/users/{cast.users['inspector2']['id']}",
        json={"active": False},
        headers=cast.headers("admin"),
    )
    assert r.status_code == 200
    r = await client.post("/auth/login", json={"username": "inspector2", "password": CAST_PASSWORD})
    assert r.status_code == 401
    # and the token of a deactivated user no longer works
    assert (await client.get("/auth/me", headers=cast.headers("inspector2"))).status_code == 401
