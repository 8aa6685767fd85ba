"""The UI language: zh-CN by default, Accept-Language for anonymous pages, and the account's
stored choice once logged in (the switch stores it)."""

from __future__ import annotations

from typing import Any

from tests.web import form_login, post_form


async def test_anonymous_pages_follow_accept_language(client: Any, db: str) -> None:
    assert "用户名" in (await client.get("/login")).text
    r = await client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert "Username" in r.text and 'lang="en"' in r.text
    r = await client.get("/login", headers={"Accept-Language": "fr,zh-TW;q=0.8,en;q=0.5"})
    assert "用户名" in r.text and 'lang="zh-CN"' in r.text


async def test_the_switch_is_stored_on_the_account(client: Any, cast: Any) -> None:
    from audit.domain.accounts.tables import User

    await form_login(client, "inspector1")
    assert "工作台" in (await client.get("/")).text
    r = await post_form(client, "/language", {"lang": "en", "next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    row = await User.select(User.language).where(User.username == "inspector1").first()
    assert row == {"language": "en"}
    # the account's choice beats the browser's header
    page = await client.get("/", headers={"Accept-Language": "zh-CN"})
    assert "Dashboard" in page.text and "工作台" not in page.text


async def test_anonymous_switch_uses_a_cookie(client: Any, db: str) -> None:
    r = await post_form(
        client, "/language", {"lang": "en", "next": "/login"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "Username" in (await client.get("/login")).text


async def test_times_are_shown_in_the_regulators_zone(db: str) -> None:
    import datetime as dt

    from audit.web.i18n import localtime

    # 18:20 UTC on 2 Dec is 02:20 on 3 Dec in Asia/Shanghai
    assert localtime(dt.datetime(2026, 12, 2, 18, 20, tzinfo=dt.UTC)) == "2026-12-03 02:20"
