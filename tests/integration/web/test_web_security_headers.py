"""Security headers on every answer; pages carry no inline script or style (the CSP forbids
them, so a page that had one would silently break in the browser)."""

from __future__ import annotations

import re
from typing import Any

from tests.web import form_login


def _csp(r: Any) -> dict[str, str]:
    return {
        d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else ""
        for d in (p.strip() for p in r.headers["content-security-policy"].split(";"))
    }


async def test_pages_api_and_unknown_paths_carry_the_headers(client: Any, cast: Any) -> None:
    for path in ("/login", "/health", "/no-such-path", "/schema/swagger"):
        r = await client.get(path)
        csp = _csp(r)
        assert csp["script-src"] == "'self'", path
        assert csp["frame-ancestors"] == "'none'", path
        assert "unsafe-inline" not in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-content-type-options"] == "nosniff"


async def test_rendered_pages_have_no_inline_script_or_style(client: Any, cast: Any) -> None:
    await form_login(client, "admin")
    for path in ("/login", "/", "/schema/swagger"):
        html = (await client.get(path)).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"<script\b[^>]*>(?!\s*</script>)", html), path  # no script body
        assert "<style" not in html, path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path  # no onclick= handlers
