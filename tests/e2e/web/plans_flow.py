"""Driving the plan pages in Chromium, for tests that need a plan made the way a person makes
one (the plan test here; the inspection test builds on it). Selectors: docs in
audit/web/templates/plans/ (form ``#plan-form``, inputs ``#f-<field>``, checkboxes
``#venue-<id>``, ``#checklist-<id>``, ``#inspector-<id>``; buttons ``#plan-<action>``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

WAIT_MS = 20_000  # the machine is shared: generous, never a timing assertion


async def create_plan(
    page: Any,
    base_url: str,
    *,
    operator_id: int,
    name: str,
    venue_ids: Iterable[int],
    checklist_version_ids: Iterable[int],
    inspector_ids: Iterable[int],
    window_start: str,
    window_end: str,
    method: str = "open",
) -> int:
    """Fill in and save the new-plan form as the logged-in planner; the new plan's id.
    Windows are ``datetime-local`` text in the regulator's zone: ``2026-12-04T09:00``."""
    await page.goto(f"{base_url}/ui/plans", wait_until="domcontentloaded")
    await page.click("#plan-new")
    await page.click(f"a[data-operator='{operator_id}']")
    await page.wait_for_selector("#plan-form", timeout=WAIT_MS)
    await page.fill("#f-name", name)
    await page.select_option("#f-method", method)
    for venue_id in venue_ids:
        await page.check(f"#venue-{venue_id}")
    for version_id in checklist_version_ids:
        await page.check(f"#checklist-{version_id}")
    for user_id in inspector_ids:
        await page.check(f"#inspector-{user_id}")
    await page.fill("#f-window_start", window_start)
    await page.fill("#f-window_end", window_end)
    await page.click("#plan-save")
    await page.wait_for_url(re.compile(r"/ui/plans/\d+$"), timeout=WAIT_MS)
    return int(page.url.rsplit("/", 1)[1])


async def press(page: Any, base_url: str, plan_id: int, action: str) -> None:
    """Press a lifecycle button (approve, activate, complete, publish) on the plan's page."""
    if f"/ui/plans/{plan_id}" not in page.url:
        await page.goto(f"{base_url}/ui/plans/{plan_id}", wait_until="domcontentloaded")
    await page.click(f"#plan-{action}")
    await page.wait_for_url(re.compile(rf"/ui/plans/{plan_id}\?done={action}$"), timeout=WAIT_MS)
