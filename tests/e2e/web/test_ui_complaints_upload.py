"""In the browser: a CSV uploaded on the complaints page goes through the progress bar's
script (XMLHttpRequest under the CSP) to the import result with its rejects file; the list then
filters and pages the imported complaints."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.web.browser import logged_in_context

pytestmark = pytest.mark.browser

ROWS = "".join(
    f"U{i:02d},甲通信有限公司,320100,billing,2026-03-{i % 28 + 1:02d},web,扣费{i}\n"
    for i in range(1, 56)
)
CSV = "external_id,operator,region,issue,received_at,channel,summary\n" + ROWS
CSV += "BAD,甲通信有限公司,320100,billing,yesterday,web,x\n"


async def test_upload_with_progress_then_list(
    cast: Any, web_server: str, browser: Any, tmp_path: Any
) -> None:
    context = await logged_in_context(browser, web_server, cast.users["inspector1"])
    page = await context.new_page()
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security" in m.text else None)
    await page.goto(f"{web_server}/ui/complaints/import")
    f = tmp_path / "c.csv"
    f.write_text(CSV, encoding="utf-8")
    await page.set_input_files("#f-file", str(f))
    await page.click("#upload-form button[type=submit]")
    await page.wait_for_url("**/ui/complaints/imports/*", timeout=30_000)
    assert (await page.text_content("#n-imported") or "").strip() == "55"
    assert (await page.text_content("#n-rejected") or "").strip() == "1"
    assert await page.get_attribute("#rejects-file", "href")
    await page.goto(f"{web_server}/ui/complaints")
    assert await page.locator("#complaints tbody tr[data-id]").count() == 50
    async with page.expect_navigation(timeout=20_000):
        await page.click("a[rel=next]")
    assert await page.locator("#complaints tbody tr[data-id]").count() == 5
    await page.fill("#f-q", "扣费7")
    async with page.expect_navigation(timeout=20_000):
        await page.click("#complaint-filters button[type=submit]")
    texts = await page.locator("#complaints tbody tr[data-id]").all_text_contents()
    assert len(texts) == 1 and "U07" in texts[0]
    assert csp == []
    await context.close()
