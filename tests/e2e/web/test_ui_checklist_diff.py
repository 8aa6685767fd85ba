"""In the browser: a supervisor imports a changed checklist and compares it side by side."""

from __future__ import annotations

from typing import Any

import pytest

from checklists.loader import CHECKLIST_DIR
from tests.conftest import CAST_PASSWORD
from tests.e2e.web.browser import PHONE, form_login

pytestmark = pytest.mark.browser


async def test_import_a_new_version_and_compare(
    world: Any, web_server: str, browser: Any, tmp_path: Any
) -> None:
    text = (CHECKLIST_DIR / "business_hall.yaml").read_text(encoding="utf-8")
    changed = text.replace("pass_mark: 80", "pass_mark: 85", 1)
    path = tmp_path / "business_hall.yaml"
    path.write_text(changed, encoding="utf-8")
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    await form_login(page, web_server, "supervisor", CAST_PASSWORD)
    await page.goto(f"{web_server}/ui/checklists/import")
    await page.set_input_files("#f-file", str(path))
    await page.click("form[action='/ui/checklists/import'] button[type=submit]")
    await page.wait_for_load_state("networkidle")
    assert "/ui/checklists/versions/" in page.url and "imported=new" in page.url
    # from the new version, compare with the older one
    await page.click("a[href^='/ui/checklists/diff']")
    await page.wait_for_load_state("networkidle")
    assert "/ui/checklists/diff" in page.url
    summary = await page.text_content("#diff-summary")
    assert summary and "0" in summary
    rows = await page.eval_on_selector_all(
        "tr[data-status]", "els => els.map(e => e.dataset.status)"
    )
    assert rows and set(rows) == {"same"}  # only the pass mark changed
    settings = await page.text_content("table.diff")
    assert settings and "80" in settings and "85" in settings
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    await context.close()
