"""Every page reachable from each role's navigation: axe-core finds no serious or critical
violation, nothing scrolls sideways at 390 px, the CSP blocks nothing (no inline script or
style), and every page answers 200. Pages added later are crawled without touching this file."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.web.browser import crawl

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("who", ["admin", "supervisor", "inspector1", "analyst", "op_a"])
async def test_every_page_of_the_role_is_accessible_and_fits_a_phone(
    world: Any, web_server: str, browser: Any, who: str
) -> None:
    from audit.web.pages import nav_items

    user = world.user(who)
    reports = await crawl(browser, web_server, user)
    visited = {r.path.split("?")[0] for r in reports}
    expected_nav = {i.href for i in nav_items() if user["role"] in i.roles}
    assert expected_nav <= visited, f"navigation entries not reached: {expected_nav - visited}"
    problems = {f"{r.viewport} {r.path}": r.problems for r in reports if r.problems}
    assert problems == {}


async def test_anonymous_pages_are_accessible_too(
    world: Any, web_server: str, browser: Any
) -> None:
    reports = await crawl(browser, web_server, None, start=("/login",))
    assert {r.path for r in reports} >= {"/login"}
    problems = {f"{r.viewport} {r.path}": r.problems for r in reports if r.problems}
    assert problems == {}
