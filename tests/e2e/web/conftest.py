"""Browser tests of the web UI: the real app served by uvicorn on a free port, driven by the
real headless Chromium (Debian's, through Playwright)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.e2e.web.browser import launch_browser, serve_app


@pytest.fixture
def web_server(db: str) -> Iterator[str]:
    """Base URL of the app, served for this test (the ``db`` of the test behind it)."""
    with serve_app() as url:
        yield url


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with launch_browser() as b:
        yield b


@pytest.fixture
async def world(cast: Any) -> Any:
    from tests.web_world import build_world

    return await build_world(cast)
