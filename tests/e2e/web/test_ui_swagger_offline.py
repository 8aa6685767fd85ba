"""In the browser: /schema/swagger renders the API operations from the app's own files — no
request leaves the app's origin and the CSP blocks nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


async def test_swagger_renders_from_local_assets(db: str, web_server: str, browser: Any) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    hosts: set[str] = set()
    csp: list[str] = []
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    await page.goto(f"{web_server}/schema/swagger")
    await page.wait_for_selector(".opblock", timeout=20_000)
    operations = await page.locator(".opblock").count()
    assert operations > 50  # every API operation is listed
    assert hosts == {urlsplit(web_server).netloc}
    assert csp == []
    await context.close()
