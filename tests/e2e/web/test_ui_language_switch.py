"""In the browser: the page is in Chinese by default, the switch turns it English, and the
choice stays with the account (a new browser, after logging in again, is still English)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD
from tests.e2e.web.browser import form_login

pytestmark = pytest.mark.browser


async def test_switch_to_english_and_back(world: Any, web_server: str, browser: Any) -> None:
    context = await browser.new_context(
        locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"}
    )
    page = await context.new_page()
    await form_login(page, web_server, "inspector1", CAST_PASSWORD)
    assert await page.text_content("h1") == "工作台"
    assert await page.get_attribute("html", "lang") == "zh-CN"
    await page.click("button[name=lang][value=en]")
    await page.wait_for_load_state("networkidle")
    assert await page.text_content("h1") == "Dashboard"
    assert await page.get_attribute("html", "lang") == "en"
    await context.close()

    # another browser that asks for Chinese: the account's choice wins after login
    context = await browser.new_context(
        locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"}
    )
    page = await context.new_page()
    await page.goto(f"{web_server}/login")
    assert await page.text_content("h1") == "登录"  # anonymous: Accept-Language
    await form_login(page, web_server, "inspector1", CAST_PASSWORD)
    assert await page.text_content("h1") == "Dashboard"
    await page.goto(f"{web_server}/ui/operators")
    assert await page.text_content("h1") == "Operators"
    await page.click("button[name=lang][value=zh-CN]")
    await page.wait_for_load_state("networkidle")
    assert page.url.endswith("/ui/operators")  # back on the same page
    assert await page.text_content("h1") == "受检企业"
    await context.close()
