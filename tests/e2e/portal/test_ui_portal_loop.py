"""The whole loop in real Chromium (both databases): a notice is issued → the email with the
signed PDF arrives in the local SMTP server and the operator's HTTPS webhook receives a
verifiable signature → the operator logs in, acknowledges, disputes one finding and reports
rectification of the other with a photo → a second supervisor (not the one who recorded the
finding) adjusts the disputed one → a corrected notice supersedes the old one, which verifies
as superseded → the verification re-probe of the rectified finding runs against the Twilio
simulator with the venue now compliant → the finding closes by itself → a closing letter is
issued."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD
from tests.e2e.web.browser import form_login
from tests.portal_world import MANUAL_ITEM, PROBE_ITEM, build, png_bytes

COMPLIANT = "+861055550101"
FAILING = "+861055550102"


async def _until(check: Any, what: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.5)


async def _shows(page: Any, selector: str) -> None:
    """Wait for ``selector``; on a timeout, fail with what the page says instead."""
    try:
        await page.wait_for_selector(selector, timeout=20_000)
    except Exception as exc:
        main = await page.inner_text("main") if await page.query_selector("main") else ""
        raise AssertionError(f"{selector} not on {page.url}: {main[:1500]}") from exc


async def _page(browser: Any, base: str, username: str) -> Any:
    context = await browser.new_context()
    page = await context.new_page()
    await form_login(page, base, username, CAST_PASSWORD)
    return page


@pytest.mark.browser
@pytest.mark.slow
async def test_portal_loop_in_the_browser(
    served_app: str,
    browser: Any,
    mailed_cast: Any,
    mail_sink: Any,
    receiver: Any,
    simulator: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from audit.domain.delivery import webhooks
    from audit.domain.notices import registry
    from audit.domain.notices.issuing import pdf_file
    from audit.domain.notices.services import load
    from audit.domain.operators.tables import Venue
    from audit.domain.portal import items

    cast, base = mailed_cast, served_app
    endpoint = await webhooks.register(cast.operator_a["id"], receiver.url, [], cast.actor("op_a"))
    receiver.secret = endpoint["secret"]
    world = await build(cast, phone=FAILING)
    notice = world.notice
    probe, manual = world.item(PROBE_ITEM), world.item(MANUAL_ITEM)

    # delivery: the embedded jobs of the served app send both
    mail = await _until(lambda: _first(mail_sink.messages), "the email")
    assert notice["number"] in mail.subject
    ((_, media, data),) = mail.attachments
    assert media == "application/pdf" and hashlib.sha256(data).hexdigest() == notice["sha256"]
    hit = await _until(lambda: _first(lambda: receiver.received), "the webhook")
    assert hit.signature_ok and hit.event == "notice.issued"

    # the operator
    op = await _page(browser, base, "op_a")
    await op.goto(f"{base}/ui/portal")
    await op.click(f"a[href='/ui/portal/notices/{notice['id']}']")
    await op.fill("#f-comment", "已收到,正在整改")
    await op.click("#acknowledge button[type=submit]")
    await _shows(op, "#acknowledged")

    await op.goto(f"{base}/ui/portal/findings/{manual['id']}")
    await op.fill("#dispute #f-reason", "通话中客户并未询问工号,不应认定")
    await op.fill("#dispute #f-proposed_outcome", "调整为不适用")
    await op.click("#dispute button[type=submit]")
    await _shows(op, "#done")
    assert (await items.load(manual["id"]))["state"] == "disputed"

    photo = tmp_path / "培训现场.png"
    photo.write_bytes(png_bytes())
    await op.goto(f"{base}/ui/portal/findings/{probe['id']}")
    await op.fill("#rectify #f-description", "已对坐席开展无声电话处理规范培训并纳入质检")
    await op.fill("#rectify #f-done_on", dt.date.today().isoformat())
    await op.set_input_files("#rectify #f-files", str(photo))
    await op.click("#rectify button[type=submit]")
    await _shows(op, "#done")
    assert "培训现场.png" in await op.content()
    assert (await items.load(probe["id"]))["state"] == "rectification_reported"

    # the second supervisor decides the dispute
    sup = await _page(browser, base, "supervisor2")
    await sup.goto(f"{base}/ui/disputes")
    await sup.click("main a[href^='/ui/disputes/']")
    await sup.select_option("#f-decision", "adjust")
    await sup.select_option("#f-result", "na")
    await sup.fill("#decide #f-reason", "录音中客户未询问工号,该项不适用")
    await sup.click("#decide button[type=submit]")
    await _shows(sup, "#corrected")
    old = await load(notice["id"])
    assert old["status"] == "superseded"
    check = await registry.verify_file(pdf_file(old).read_bytes())
    assert check.public()["status"] == "superseded"
    await sup.goto(f"{base}/verify/{old['token']}")
    assert "已被更正" in await sup.content()
    corrected = await load(old["superseded_by"])

    # the verification re-probe: the venue behaves now
    await Venue.update({Venue.phones: [COMPLIANT]}).where(Venue._meta.primary_key == world.venue_id)
    await sup.goto(f"{base}/ui/findings/{probe['id']}")
    await sup.fill("#f-window_days", str(10 / 86400))
    await sup.fill("#f-margin", "0.25")
    await sup.click("#verify button[type=submit]")
    await _shows(sup, "#state")
    assert (await items.load(probe["id"]))["state"] == "verifying"

    async def closed() -> bool:
        return (await items.load(probe["id"]))["state"] == "closed"

    await _until(closed, "the re-probe to close the finding", timeout=240)
    result = (await items.load(probe["id"]))["verification"]["result"]
    assert result["outcome"] == "passed" and result["judged"] == result["passed_runs"] == 6

    # the closing letter, from the corrected notice's page
    await sup.goto(f"{base}/ui/notices/{corrected['id']}")
    await sup.click("#issue-closing-letter button[type=submit]")
    await _shows(sup, "#notice-status")
    assert "closing_letter" in await sup.content()
    letter_id = int(sup.url.rstrip("/").rsplit("/", 1)[1])
    letter = await load(letter_id)
    assert letter["status"] in ("issued", "delivered") and letter["number"].startswith("复查〔")

    # what the operator sees at the end
    await op.goto(f"{base}/ui/portal/findings/{probe['id']}")
    text = await op.content()
    assert "已销号" in text or "Closed" in text
    assert "campaign" not in text.lower() and "+8610555500" not in text
    await op.goto(f"{base}/ui/portal")
    assert letter["number"] in await op.content()


async def _first(source: Any) -> Any:
    found = source()
    return found[0] if found else None
