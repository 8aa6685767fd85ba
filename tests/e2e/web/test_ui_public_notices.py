"""In the browser, without logging in: the public register lists only the notices in force,
and its verification link confirms one against the registry."""

from __future__ import annotations

from typing import Any

import pytest

from tests.public_notices_world import notices_in_every_state

pytestmark = pytest.mark.browser


async def test_anonymous_register(cast: Any, web_server: str, browser: Any) -> None:
    n = await notices_in_every_state(cast)
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{web_server}/public/notices")
    numbers = await page.eval_on_selector_all(
        "#published tbody tr[data-number]", "rows => rows.map(r => r.dataset.number)"
    )
    assert sorted(numbers) == sorted([n["issued_a"]["number"], n["issued_b"]["number"]])
    assert "/login" not in page.url
    await page.click(f"tr[data-number='{n['issued_b']['number']}'] a[href^='/verify/']")
    await page.wait_for_selector("#status", timeout=20_000)
    assert await page.get_attribute("#status", "data-status") == "authentic"
    await context.close()
