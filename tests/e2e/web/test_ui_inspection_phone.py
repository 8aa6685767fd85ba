"""The on-site inspection on two phones (390×844, real Chromium, both databases): a supervisor
makes an on-site plan on the plan pages and a second supervisor approves and activates it;
inspector 1 sees the venue offered on the worklist, starts the inspection from the plan's page
(its "start the inspection" button, the worklist's service) and records items with
a real JPEG photo, inspector 2 records others on his phone; then inspector 1's network is cut
(``context.set_offline``), two more items are answered and a photo is taken, the page is
reloaded without network (served by the offline worker, what was typed still there), the
network comes back — everything arrives once; inspector 1 submits, inspector 2 confirms, and
the stored score is the scoring function's result for the stored answers."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD
from tests.e2e.web.browser import PHONE, form_login
from tests.e2e.web.plans_flow import create_plan, press
from tests.inspection_world import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT_MS = 20_000


async def _until(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.3)


async def _phone(browser: Any, base: str, username: str) -> tuple[Any, Any]:
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = await context.new_page()
    await form_login(page, base, username, CAST_PASSWORD)
    return context, page


def _uid(item_id: str) -> str:
    return item_id.replace(".", "-")


async def _answer(page: Any, item_id: str, result: str, note: str = "", measured: str = "") -> None:
    u = _uid(item_id)
    await page.click(f"label[for='r-{u}-{result}']")
    if measured:
        await page.fill(f"#m-{u}", measured)
    if note:
        await page.fill(f"#n-{u}", note)
        await page.press(f"#n-{u}", "Tab")  # leaving the field saves at once


async def _stored(iid: int) -> dict[str, dict[str, Any]]:
    from audit.domain.inspections.access import answers_of

    return {a["item_id"]: a for a in await answers_of(iid)}


async def _unsent(page: Any) -> int:
    return int(await page.get_attribute("#unsent", "data-count") or 0)


async def _form_ready(page: Any) -> None:
    await page.wait_for_selector("#inspection[data-ready='1']", timeout=WAIT_MS)


async def test_two_inspectors_record_offline_and_confirm_on_phones(
    web_server: str, browser: Any, cast: Any, tmp_path: Path
) -> None:
    from audit.context import SYSTEM
    from audit.domain.accounts.schemas import UserCreate
    from audit.domain.accounts.services import create_user
    from audit.domain.auditlog.services import entries
    from audit.domain.evidence.tables import Evidence
    from audit.domain.inspections.access import load_inspection
    from audit.domain.inspections.services import answers_for_scoring
    from audit.domain.inspections.tables import Inspection, ItemEvidence
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.plans.access import load_plan
    from audit.domain.plans.checklist_versions import import_checklist, pinned_checklist
    from audit.settings import get_settings
    from checklists.loader import CHECKLIST_DIR, load_all
    from checklists.scoring import score_answers

    base = web_server
    venue = await create_venue(
        cast.operator_a["id"],
        VenueIn(kind="business_hall", name="甲通信延安路营业厅", region="杭州市"),
        SYSTEM,
    )
    version, _ = await import_checklist(load_all(CHECKLIST_DIR)["business-hall"], SYSTEM)
    await create_user(
        UserCreate(username="supervisor2", password=CAST_PASSWORD, role="supervisor"), SYSTEM
    )
    # a supervisor makes the on-site plan on the plan pages; a second one approves it
    today = dt.datetime.now(get_settings().zone).date()
    ctx, page = await _phone(browser, base, "supervisor")
    plan_id = await create_plan(
        page,
        base,
        operator_id=cast.operator_a["id"],
        name="延安路营业厅现场检查",
        venue_ids=[venue["id"]],
        checklist_version_ids=[version["id"]],
        inspector_ids=[cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]],
        window_start=f"{today.isoformat()}T00:00",
        window_end=f"{(today + dt.timedelta(days=2)).isoformat()}T18:00",
    )
    await ctx.close()
    ctx, page = await _phone(browser, base, "supervisor2")
    await press(page, base, plan_id, "approve")
    await press(page, base, plan_id, "activate")
    await ctx.close()
    plan = await load_plan(plan_id)
    assert plan["status"] == "active" and plan["on_site"]

    photo1, photo2 = tmp_path / "地面.jpg", tmp_path / "合同.jpg"
    photo1.write_bytes(jpeg_bytes(101))
    photo2.write_bytes(jpeg_bytes(102))

    ctx1, p1 = await _phone(browser, base, "inspector1")
    ctx2, p2 = await _phone(browser, base, "inspector2")

    # inspector 1: dashboard → worklist (the venue is offered) → the plan → start the venue
    await p1.goto(f"{base}/")
    await p1.click("a[href='/ui/inspections']")
    await p1.wait_for_selector("button[aria-label*='甲通信延安路营业厅']", timeout=WAIT_MS)
    await p1.goto(f"{base}/ui/plans/{plan_id}")
    await p1.click("#plan-start button[aria-label*='甲通信延安路营业厅']")
    await _form_ready(p1)
    iid = int(p1.url.rsplit("/", 1)[1])
    checklist = await pinned_checklist((await load_inspection(iid))["checklist_version_id"])
    assert await p1.inner_text("article.item[data-item='environment.clean'] .evidence-rule")
    await p1.wait_for_selector("#inspection[data-offline-ready='1']", timeout=WAIT_MS)

    await _answer(p1, "environment.clean", "fail", note="地面有积水,未放置警示牌")
    await p1.set_input_files("#p-environment-clean", str(photo1))
    for item in ("environment.tariffs_posted", "environment.hours_posted"):
        await _answer(p1, item, "pass")

    async def first_four() -> bool:
        got = await _stored(iid)
        clean = got.get("environment.clean")
        return bool(
            clean
            and clean["note"] == "地面有积水,未放置警示牌"
            and len(clean["evidence"]) == 1
            and {"environment.tariffs_posted", "environment.hours_posted"} <= set(got)
        )

    await _until(first_four, "inspector 1's first answers and photo")
    sha = (await _stored(iid))["environment.clean"]["evidence"][0]["sha256"]
    await p1.wait_for_selector(f"article.item[data-item='environment.clean'] code.sha:text('{sha[:12]}')",
                               timeout=WAIT_MS)  # fmt: skip

    # inspector 2, on his phone, records the staff items
    await p2.goto(f"{base}/ui/inspections/{iid}")
    await _form_ready(p2)
    await _answer(p2, "handling.attitude", "pass")
    await _answer(
        p2, "handling.waiting_time", "pass", measured="12 分钟", note="取号至受理 12 分钟"
    )
    await _answer(p2, "environment.pledge_posted", "pass")

    async def partner_done() -> bool:
        got = await _stored(iid)
        wait = got.get("handling.waiting_time")
        return bool(wait and wait["measured_value"] == "12 分钟" and "environment.pledge_posted" in got
                    and got["handling.attitude"]["recorded_by_name"] == "inspector2")  # fmt: skip

    await _until(partner_done, "inspector 2's answers")

    # inspector 1 loses the network: two more items and a photo wait on the phone
    await _until(lambda: _zero(p1), "inspector 1's queue to empty")
    await ctx1.set_offline(True)
    await _answer(p1, "enquiry.convenient", "pass")
    await _answer(p1, "contract.clear", "fail", note="合同条款字号过小")
    await p1.set_input_files("#p-contract-clear", str(photo2))
    await _until(lambda: _count_is(p1, 3), "3 not yet sent")
    assert "3" in await p1.inner_text("#unsent")
    got = await _stored(iid)
    assert "enquiry.convenient" not in got and "contract.clear" not in got

    # a reload without network: the offline worker serves the page, the phone fills it in
    await p1.reload()
    await _form_ready(p1)
    assert await p1.is_checked("#r-enquiry-convenient-pass")
    assert await p1.is_checked("#r-contract-clear-fail")
    assert await p1.input_value("#n-contract-clear") == "合同条款字号过小"
    assert await p1.is_checked("#r-environment-clean-fail")  # sent before: still shown
    assert await _unsent(p1) == 3
    assert await p1.locator("article.item[data-item='contract.clear'] li.queued img").count() == 1
    assert "enquiry.convenient" not in await _stored(iid)

    # the network is back: everything arrives, once
    await ctx1.set_offline(False)
    await _until(lambda: _zero(p1), "the queue to be sent")

    async def all_arrived() -> bool:
        got = await _stored(iid)
        contract = got.get("contract.clear")
        return bool("enquiry.convenient" in got and contract and len(contract["evidence"]) == 1)

    await _until(all_arrived, "the offline answers and photo")
    got = await _stored(iid)
    assert got["contract.clear"]["note"] == "合同条款字号过小"
    assert got["contract.clear"]["result"] == "fail"
    assert await ItemEvidence.count().where(ItemEvidence.inspection == iid) == 2
    assert await Evidence.count() == 2
    log = await entries(entity="inspection", entity_id=str(iid), limit=1000)
    client_ids = [e["after"]["client_id"] for e in log if e["action"] == "inspection.answer"]
    assert len(client_ids) == len(set(client_ids))  # no answer was applied twice
    attached = [e for e in log if e["action"] == "inspection.evidence_attach"]
    assert len(attached) == 2

    # the last item, then inspector 1 submits and inspector 2 confirms
    await _answer(p1, "contract.no_unlawful_clause", "pass")
    await _until(lambda: _has(iid, "contract.no_unlawful_clause"), "the last answer")
    await _until(lambda: _zero(p1), "the queue to be sent")
    submit = p1.locator("#submit-form button[type=submit]")
    await submit.wait_for(timeout=WAIT_MS)
    await _until(submit.is_enabled, "the submit button")
    await submit.click()
    await p1.wait_for_selector("#done", timeout=WAIT_MS)
    assert (await load_inspection(iid))["status"] == "pending"
    assert await p1.locator("#confirm-form").count() == 0  # not by the submitter

    await p2.goto(f"{base}/ui/inspections/{iid}")
    await p2.click("#confirm-form button[type=submit]")
    await p2.wait_for_selector("#done", timeout=WAIT_MS)

    row = await load_inspection(iid)
    assert row["status"] == "submitted"
    assert row["submitted_by_name"] == "inspector1" and row["confirmed_by_name"] == "inspector2"
    expected = score_answers(checklist, answers_for_scoring(list((await _stored(iid)).values())))
    assert row["score"] == str(expected.score) and expected.score is not None
    assert f"{expected.score}" in await p2.inner_text("#summary .score")
    assert await Inspection.count() == 1
    widths = await p2.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], "the form scrolls sideways on a phone"
    await ctx1.close()
    await ctx2.close()


async def _zero(page: Any) -> bool:
    return await _unsent(page) == 0


async def _count_is(page: Any, n: int) -> bool:
    return await _unsent(page) == n


async def _has(iid: int, item_id: str) -> bool:
    return item_id in await _stored(iid)
