"""A supervisor makes an on-site plan in the browser with two inspectors; the page refuses
their own approval and says why (four eyes); a second supervisor approves and activates it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD
from tests.e2e.web.browser import PHONE, form_login
from tests.e2e.web.plans_flow import WAIT_MS, create_plan, press

pytestmark = [pytest.mark.browser]


async def test_supervisor_creates_and_another_approves_an_on_site_plan(
    world: Any, web_server: str, browser: Any
) -> None:
    from audit.context import SYSTEM
    from audit.domain.accounts.schemas import UserCreate
    from audit.domain.accounts.services import create_user
    from audit.domain.plans.access import load_plan
    from audit.settings import get_settings

    cast = world.cast
    second = await create_user(
        UserCreate(username="supervisor2", password=CAST_PASSWORD, role="supervisor"), SYSTEM
    )
    hall = next(v["id"] for v in world.checklist_versions if "business_hall" in v["applies_to"])
    inspectors = [cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]]
    day = dt.date.today() + dt.timedelta(days=1)

    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    await form_login(page, web_server, "supervisor", CAST_PASSWORD)
    plan_id = await create_plan(
        page,
        web_server,
        operator_id=cast.operator_b["id"],
        name="乙通信新街口营业厅现场检查",
        venue_ids=[world.venues["b_hall"]["id"]],
        checklist_version_ids=[hall],
        inspector_ids=inspectors,
        window_start=f"{day.isoformat()}T09:00",
        window_end=f"{(day + dt.timedelta(days=5)).isoformat()}T18:00",
    )
    assert await page.is_disabled("#plan-approve")
    assert (await page.get_attribute("#why-approve", "data-reason") or "").startswith("four eyes")
    assert "双人原则" in (await page.text_content("#why-approve") or "")  # in the page's language
    await context.close()

    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    await form_login(page, web_server, "supervisor2", CAST_PASSWORD)
    await page.goto(f"{web_server}/ui/plans", wait_until="domcontentloaded")
    await page.click(f"a[href='/ui/plans/{plan_id}']")
    await page.wait_for_selector("#plan-approve:not([disabled])", timeout=WAIT_MS)
    await press(page, web_server, plan_id, "approve")
    assert await page.is_visible("#plan-done")
    await press(page, web_server, plan_id, "activate")
    await context.close()

    plan = await load_plan(plan_id)
    assert plan["status"] == "active" and plan["on_site"]
    assert plan["approved_by_id"] == second["id"]
    assert plan["inspector_ids"] == sorted(inspectors)
    assert plan["sample"] == [world.venues["b_hall"]["id"]]
    # the window was typed in the regulator's zone
    assert plan["window_start"].astimezone(get_settings().zone).hour == 9
