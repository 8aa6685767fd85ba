"""In the browser: a page on another site that posts a form to us (with the user logged in
here) is refused and changes nothing; the same form on our own page works."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD
from tests.e2e.web.browser import form_login

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def evil_site(target: str) -> Iterator[str]:
    """Another origin (localhost vs 127.0.0.1, its own port) serving an auto-submitting form."""
    page = f"""<!doctype html><html><body>
<form id="f" method="post" action="{target}/ui/operators/new">
<input name="name" value="伪造通信公司"></form>
<script>document.getElementById('f').submit()</script></body></html>""".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join(5)


async def _names() -> set[str]:
    from audit.domain.operators.tables import Operator

    return {r["name"] for r in await Operator.select(Operator.name).run()}


async def test_a_forged_cross_site_post_is_refused(
    world: Any, web_server: str, browser: Any
) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await form_login(page, web_server, "supervisor", CAST_PASSWORD)
    with evil_site(web_server) as evil:
        responses: list[int] = []
        page.on(
            "response",
            lambda r: responses.append(r.status) if r.url.endswith("/ui/operators/new") else None,
        )
        await page.goto(evil)
        await page.wait_for_load_state("networkidle")
        assert responses and responses[-1] == 403
    assert "伪造通信公司" not in await _names()
    # the real form, on our page, with its token, works
    await page.goto(f"{web_server}/ui/operators/new")
    await page.fill("#f-name", "真实通信公司")
    await page.click("form[action='/ui/operators/new'] button[type=submit]")
    await page.wait_for_load_state("networkidle")
    assert "真实通信公司" in await _names()
    await context.close()
