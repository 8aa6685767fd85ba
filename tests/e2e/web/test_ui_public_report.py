"""In the browser: the public report page, period and scope picked through its form (HTMX
swap), shows for every operator and the sector exactly the figures of GET /reports/public;
the supervisor's button drafts the public notice and lands on its management page."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from audit.context import SYSTEM
from tests.e2e.web.browser import logged_in_context

pytestmark = pytest.mark.browser

Q3 = dt.datetime(2026, 7, 2, tzinfo=dt.UTC)
Q2 = dt.datetime(2026, 4, 2, tzinfo=dt.UTC)
# every data-figure cell of the figures table, by operator row: {row: {figure: value}}
READ_TABLE = """() => Object.fromEntries([...document.querySelectorAll('#report-figures tr[data-operator]')]
  .map(tr => [tr.dataset.operator, Object.fromEntries([...tr.querySelectorAll('[data-figure]')]
  .map(td => [td.dataset.figure, td.dataset.value]))]))"""


async def _seed(cast: Any) -> None:
    from audit.domain.complaints.schemas import ComplaintIn
    from audit.domain.complaints.services import add_complaint
    from audit.domain.reports.subscribers import set_count
    from tests.integration.reports.test_report_public_figures import _run, _venue, voice

    rnd = random.Random(20)
    a, b = cast.operator_a["id"], cast.operator_b["id"]
    for op in (a, b):
        venue = await _venue(op, "hotline", "320100")
        for i in range(30):
            start = (Q3 if i % 3 else Q2) + dt.timedelta(hours=i)
            await _run(op, venue, "voice", start, **voice(rnd))
    for i in range(12):
        op = "甲通信有限公司" if i % 3 else "乙通信有限公司"
        day = (Q3 if i % 4 else Q2).date() + dt.timedelta(days=i)
        await add_complaint(ComplaintIn(external_id=f"R{i}", operator=op, region="320100",
                                        issue=["billing", "network"][i % 2],
                                        received_at=day.isoformat()), SYSTEM)  # fmt: skip
    await set_count(a, "2026Q3", 2_000_000, SYSTEM)
    await set_count(b, "2026Q3", 500_000, SYSTEM)


def _expected(api: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The API's figures as the page writes them into data-value (Python's str of the number,
    empty for none)."""

    def v(x: Any) -> str:
        return "" if x is None else str(x)

    def rates(o: dict[str, Any]) -> dict[str, str]:
        names = ("answer_rate", "service_level", "silent_call", "greeting", "first_response",
                 "chat_items")  # fmt: skip
        return {n: v(o[n]["rate"]) for n in names}

    out = {}
    for o in api["operators"]:
        out[str(o["operator_id"])] = {
            "rank": v(o["rank"]), "probes": v(o["probes"]), "chats": v(o["chats"]),
            "mean_answer_s": v(o["mean_answer_s"]), "median_answer_s": v(o["median_answer_s"]),
            "complaints": v(o["complaints"]),
            "complaints_per_million": v(o["complaints_per_million"]),
            "change_answer_rate": v(o["change"]["answer_rate"]),
            "change_complaints": v(o["change"]["complaints"]),
            "change_complaints_per_million": v(o["change"]["complaints_per_million"]),
            "rectification_notices": v(o["actions"].get("rectification", 0)),
            "self_inspection_orders": v(o["actions"].get("self_inspection", 0)),
            **rates(o),
        }  # fmt: skip
    s = api["sector"]
    out["sector"] = {"probes": v(s["probes"]), "chats": v(s["chats"]),
                     "mean_answer_s": v(s["mean_answer_s"]), "complaints": v(s["complaints"]),
                     "complaints_per_million": v(s["complaints_per_million"]), **rates(s)}  # fmt: skip
    return out


async def test_page_figures_equal_the_api(cast: Any, web_server: str, browser: Any) -> None:
    await _seed(cast)
    context = await logged_in_context(browser, web_server, cast.users["supervisor"])
    page = await context.new_page()
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security" in m.text else None)
    await page.goto(f"{web_server}/ui/reports/public")
    await page.fill("#f-period", "2026Q3")
    await page.select_option("#f-scope", "32")
    await page.click("#report-filters button[type=submit]")
    await page.wait_for_selector("#report-title[data-period='2026Q3'][data-scope='320000']")
    assert "period=2026Q3" in page.url  # the swap pushed the URL: the view can be linked
    shown = await page.evaluate(READ_TABLE)

    r = await context.request.get(f"{web_server}/reports/public?period=2026Q3&scope=32")
    assert r.status == 200
    api = await r.json()
    assert len(api["operators"]) == 2 and api["sector"]["probes"] == 40
    assert shown == _expected(api)
    ranks = sorted(int(shown[str(o["operator_id"])]["rank"]) for o in api["operators"])
    assert ranks == [1, 2]

    async with page.expect_navigation(timeout=30_000):
        await page.click("#draft-notice button[type=submit]")
    assert page.url.endswith("/manage")
    notice_id = page.url.rstrip("/").split("/")[-2]
    n = await context.request.get(f"{web_server}/notices/{notice_id}")
    content = (await n.json())["content"]
    assert content["from_data"] is True
    assert sorted(row["complaints"] for row in content["rows"]) == sorted(
        o["complaints"] for o in api["operators"]
    )
    assert csp == []
    await context.close()
