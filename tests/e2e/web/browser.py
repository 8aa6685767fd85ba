"""Browser helpers for UI tests: serving the app, launching Chromium, logging in, and the
accessibility crawl (axe-core from npm + the 390 px sideways-scroll check) that every page
reachable from a role's navigation goes through — pages added later are checked automatically.

Named apart from conftest so other test folders can import it.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[3]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextlib.contextmanager
def serve_app() -> Iterator[str]:
    """The real app (lifespan on) on 127.0.0.1 and a free port; yields its base URL."""
    import uvicorn

    from audit.core import build_app

    server = uvicorn.Server(
        # proxy_headers off, as `audit run` has it: AUDIT_TRUSTED_PROXIES decides whom to believe
        uvicorn.Config(
            build_app(),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
            proxy_headers=False,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "app did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.asynccontextmanager
async def launch_browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def session_cookie_for(user: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A logged-in session for ``user`` (made by the accounts service, as the login form does)."""
    from audit.domain.accounts.services import start_session
    from audit.settings import get_settings

    token = await start_session(user, 1)
    return {
        "name": get_settings().session_cookie,
        "value": token,
        "url": base_url,
        "httpOnly": True,
        "secure": True,
        "sameSite": "Strict",
    }


async def logged_in_context(
    browser: Any, base_url: str, user: dict[str, Any] | None, **kw: Any
) -> Any:
    context = await browser.new_context(**kw)
    if user is not None:
        await context.add_cookies([await session_cookie_for(user, base_url)])
    return context


async def form_login(page: Any, base_url: str, username: str, password: str) -> None:
    """Log in through the login form, as a person does."""
    await page.goto(f"{base_url}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("form[action='/login'] button[type=submit]")
    await page.wait_for_load_state("networkidle")


# ---- the accessibility / layout crawl --------------------------------------------------------

SKIP_PREFIXES = ("/static/", "/schema", "/logout", "/verify/", "/health")
SKIP_SUFFIXES = ("/pdf", "/content", ".csv", ".xlsx", ".json", ".yaml")
SERIOUS = ("serious", "critical")


def page_pattern(path: str) -> str:
    """Pages that differ only by ids are one page for the crawl (e.g. /ui/operators/{id})."""
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


@dataclass
class PageReport:
    path: str
    viewport: str
    status: int
    violations: list[dict[str, Any]] = field(default_factory=list)
    scroll_width: int = 0
    client_width: int = 0
    csp_errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        out = []
        if self.status != 200:
            out.append(f"HTTP {self.status}")
        for v in self.violations:
            nodes = ", ".join(n["target"][0] if n.get("target") else "?" for n in v["nodes"][:3])
            out.append(f"axe {v['impact']} {v['id']}: {v['help']} ({nodes})")
        if self.viewport == "phone" and self.scroll_width > self.client_width:
            out.append(f"scrolls sideways: {self.scroll_width}px > {self.client_width}px")
        out.extend(f"CSP: {e}" for e in self.csp_errors)
        return out


async def axe_serious(page: Any) -> list[dict[str, Any]]:
    result = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in result if v.get("impact") in SERIOUS]


async def local_links(page: Any, base_url: str) -> list[str]:
    hrefs: list[str] = await page.eval_on_selector_all(
        "a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    out = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != base_url or not url.path:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if url.path.startswith(SKIP_PREFIXES) or url.path.endswith(SKIP_SUFFIXES):
            continue
        out.append(path)
    return out


async def crawl(
    browser: Any,
    base_url: str,
    user: dict[str, Any] | None,
    start: tuple[str, ...] = ("/",),
    limit: int = 60,
) -> list[PageReport]:
    """Visit every page reachable by links from ``start`` (one per id pattern), at phone and
    desktop width, with axe-core injected; return what each page showed."""
    axe_source = AXE_JS.read_text()
    reports: list[PageReport] = []
    for viewport_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = await logged_in_context(browser, base_url, user, viewport=viewport)
        await context.add_init_script(script=axe_source)  # bypasses the page's CSP, as it must
        page = await context.new_page()
        csp: list[str] = []
        page.on(
            "console",
            lambda msg, csp=csp: (
                csp.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        queue = list(start)
        seen: set[str] = set()
        while queue and len(seen) < limit:
            path = queue.pop(0)
            pattern = page_pattern(path.split("?")[0])
            if pattern in seen:
                continue
            seen.add(pattern)
            csp.clear()
            response = await page.goto(base_url + path)
            await page.wait_for_load_state("networkidle")
            report = PageReport(path, viewport_name, response.status if response else 0)
            report.violations = await axe_serious(page)
            report.scroll_width, report.client_width = await page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            report.csp_errors = list(csp)
            reports.append(report)
            queue.extend(p for p in await local_links(page, base_url) if p not in queue)
        await context.close()
    return reports
