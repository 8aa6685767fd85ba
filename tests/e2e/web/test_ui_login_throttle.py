"""In the browser: the login form is throttled (issue 15 "form-login throttle", issue 16 item
6). After AUDIT_LOGIN_MAX_FAILURES wrong passwords the form says how long to wait, even the
right password is refused meanwhile, and rotating X-Forwarded-For does not help."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD

pytestmark = pytest.mark.browser


async def _submit(page: Any, base_url: str, username: str, password: str) -> int:
    await page.goto(f"{base_url}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    async with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST",
                                    timeout=20_000) as answer:  # fmt: skip
        await page.click("form[action='/login'] button[type=submit]")
    await page.wait_for_load_state("domcontentloaded")
    return int((await answer.value).status)


async def test_form_login_is_throttled(
    world: Any, web_server: str, browser: Any, settings: Any
) -> None:
    context = await browser.new_context(
        locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"}
    )
    page = await context.new_page()
    for i in range(settings.login_max_failures):
        await context.set_extra_http_headers(
            {"Accept-Language": "zh-CN", "X-Forwarded-For": f"198.51.100.{i}"}
        )
        assert await _submit(page, web_server, "supervisor", "wrong-password") == 401
        assert "用户名或密码错误" in (await page.text_content("#login-error") or "")
    status = await _submit(page, web_server, "supervisor", CAST_PASSWORD)
    assert status == 429
    message = await page.text_content("#login-error") or ""
    assert "登录失败次数过多" in message and "秒后再试" in message, message
    assert await page.get_attribute("#username", "aria-invalid") == "true"
    assert "/login" in page.url
    cookies = {c["name"] for c in await context.cookies()}
    assert "audit_session" not in cookies
    # another person, in another browser, logs in as usual
    other = await browser.new_context()
    page2 = await other.new_page()
    assert await _submit(page2, web_server, "analyst", CAST_PASSWORD) == 303
    await other.close()
    await context.close()
