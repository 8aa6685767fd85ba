"""In the browser: the public verification page's file check runs under the strict CSP (its
script and style are files of the app, not inline)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


async def test_file_check_runs_under_the_csp(
    db: str, web_server: str, browser: Any, tmp_path: Any
) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    csp: list[str] = []
    page.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    await page.goto(f"{web_server}/verify/no-such-token")
    assert await page.get_attribute("#status", "data-status") == "unknown"
    pdf = tmp_path / "some.pdf"
    pdf.write_bytes(b"%PDF-1.4 not the issued file")
    await page.set_input_files("#f", str(pdf))
    await page.wait_for_function("document.getElementById('r').textContent.length > 0")
    assert "does NOT match" in (await page.text_content("#r") or "")
    assert csp == []
    await context.close()
