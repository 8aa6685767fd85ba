"""In Chromium: a supervisor creates a campaign from a plan through the form, schedules it,
and — once its runs have results — downloads the statistics as XLSX from the campaign page;
every figure in the workbook equals the statistics API's."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.web.browser import logged_in_context

pytestmark = pytest.mark.browser

# (outcome, answer_seconds, silent-call verdict, greeting verdict) given to the planned runs
RESULTS = [
    ("answered", 4.0, "pass", "pass"),
    ("answered", 12.0, "fail", "pass"),
    ("answered", 21.0, "pass", "fail"),
    ("answered", 8.0, "inconclusive", None),
    ("busy", None, None, None),
    ("no_answer", None, None, None),
]


async def _plan(world: Any) -> int:
    from audit.domain.plans.tables import AuditPlan, PlanInspector, PlanVenue

    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=3)
    plan_id = (
        await AuditPlan.insert(
            AuditPlan(
                name="热线季度拨测", operator=world.cast.operator_a["id"], method="covert",
                sampling="comprehensive", window_start=start,
                window_end=start + dt.timedelta(days=90), status="active",
            )
        ).returning(AuditPlan.id)
    )[0]["id"]  # fmt: skip
    await PlanInspector.insert(
        PlanInspector(plan=plan_id, inspector=world.cast.users["inspector1"]["id"])
    )
    await PlanVenue.insert(
        PlanVenue(plan=plan_id, venue=world.venues["a_hotline"]["id"], in_sample=True, position=0)
    )
    return int(plan_id)


async def _give_results(campaign_id: int) -> None:
    """The planned runs end as a probe would have ended them (figures campaigns keep)."""
    from audit.domain.campaigns.tables import CampaignRun

    runs = await CampaignRun.select(CampaignRun.id, CampaignRun.scheduled_at).where(
        CampaignRun.campaign == campaign_id
    )
    assert len(runs) == len(RESULTS)
    for run, (outcome, seconds, silent, greeting) in zip(runs, RESULTS, strict=True):
        await CampaignRun.update(
            {
                CampaignRun.status: "done",
                CampaignRun.outcome: outcome,
                CampaignRun.answer_seconds: seconds,
                CampaignRun.attempts: 1,
                CampaignRun.rang: "true" if outcome != "busy" else "false",
                CampaignRun.silent_call_verdict: silent,
                CampaignRun.greeting_verdict: greeting,
                CampaignRun.started_at: run["scheduled_at"],
                CampaignRun.finished_at: run["scheduled_at"],
            }
        ).where(CampaignRun.id == run["id"])


async def test_campaign_page_exports_the_api_figures_as_xlsx(
    world: Any, web_server: str, browser: Any
) -> None:
    from openpyxl import load_workbook

    from audit.domain.campaigns.export import SUMMARY_COLUMNS

    plan_id = await _plan(world)
    context = await logged_in_context(
        browser, web_server, world.user("supervisor"), accept_downloads=True
    )
    page = await context.new_page()
    await page.goto(f"{web_server}/ui/campaigns")
    await page.click("a[href='/ui/campaigns/new']")
    await page.select_option("#f-plan", str(plan_id))
    await page.click("form[action='/ui/campaigns/new'] button[type=submit]")
    await page.fill("#f-name", "季度热线拨测")
    for day in range(7):
        await page.check(f"#f-day-{day}")
    await page.fill("#f-window_start", "00:00")
    await page.fill("#f-window_end", "23:59")
    await page.fill("#f-runs_per_target", str(len(RESULTS)))
    await page.fill("#f-caller_ids", "+861055550000")
    await page.click("#campaign-form button[type=submit]")
    await page.wait_for_load_state("networkidle")
    errors = await page.locator(".field-error, .error").all_text_contents()
    assert errors == [], errors
    await page.wait_for_selector("#campaign-status", timeout=20_000)
    campaign_id = int(page.url.rstrip("/").split("/")[-1])
    await page.locator("form[action$='/transitions']:has(input[value=schedule]) button").click()
    await page.wait_for_selector("#campaign-runs tbody tr >> nth=5", timeout=20_000)
    await _give_results(campaign_id)
    await page.reload()
    assert await page.locator("svg.chart").count() >= 4
    async with page.expect_download() as info:
        await page.click("#export-xlsx")
    download = await info.value
    book = load_workbook(io.BytesIO(Path(await download.path()).read_bytes()))
    api = await page.request.get(f"{web_server}/campaigns/{campaign_id}/statistics")
    assert api.status == 200
    stats = await api.json()

    def figures(summary: dict[str, Any]) -> list[Any]:
        out = []
        for _, dotted in SUMMARY_COLUMNS:
            value: Any = summary
            for part in dotted.split("."):
                value = value[part]
            out.append(value)
        return out

    def same(a: list[Any], b: list[Any]) -> bool:
        # A spreadsheet keeps 15 significant digits (Excel's precision), JSON 17.
        return len(a) == len(b) and all(
            x == y or (isinstance(x, float) and x == pytest.approx(y, rel=1e-13, abs=0))
            for x, y in zip(a, b, strict=True)
        )

    (row,) = list(book["campaign"].iter_rows(min_row=2, values_only=True))
    assert same(list(row), [campaign_id, *figures(stats["campaign"])])
    assert stats["campaign"]["attempts"] == 6 and stats["campaign"]["answered"] == 4
    venues = list(book["venues"].iter_rows(min_row=2, values_only=True))
    assert len(venues) == len(stats["targets"]) == 1
    assert all(same(list(v[4:]), figures(t)) for v, t in zip(venues, stats["targets"], strict=True))
    weeks = list(book["weeks"].iter_rows(min_row=2, values_only=True))
    assert len(weeks) == len(stats["weeks"]) >= 1
    assert all(
        same(list(w), [s["week"], *figures(s)]) for w, s in zip(weeks, stats["weeks"], strict=True)
    )
    bins = list(book["answer_times"].iter_rows(min_row=2, values_only=True))
    assert [b[2] for b in bins] == [b["count"] for b in stats["answer_histogram"]]
    assert sum(b[2] for b in bins) == 4
    await context.close()
