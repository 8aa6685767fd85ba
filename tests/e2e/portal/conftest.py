"""Browser tests of the portal loop: the portal fixtures (``tests/portal_fixtures.py``) and
headless Chromium."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.e2e.web.browser import launch_browser
from tests.portal_fixtures import (  # noqa: F401
    mail_sink,
    mailed_cast,
    receiver,
    served_app,
    simulator,
)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with launch_browser() as b:
        yield b
