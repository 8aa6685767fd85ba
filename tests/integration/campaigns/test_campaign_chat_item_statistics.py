"""A chat campaign's statistics count every checklist item, not only the greeting: a chat
whose agent tells the customer not to reply again (a taboo, seed 000 §四.1) shows as a failed
``taboo.no_reply_request`` in the statistics, its XLSX export and the campaign page — while
its greeting passed, so the greeting-only figure of before hid it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from campaign_live import LiveApp, add_to_plan, campaign_body, wait_until_finished

from audit.domain.operators.schemas import VenueIn
from audit.domain.operators.services import create_venue
from probes.chat_demo import DemoChatSite
from tests.e2e.chat.conftest import profile_for

pytestmark = pytest.mark.browser


async def _chat_venue(setup: dict[str, Any], site: DemoChatSite, name: str, **query: Any) -> int:
    cast = setup["cast"]
    profile = profile_for(site, **query).model_dump(mode="json", exclude_none=True)
    venue = await create_venue(
        cast.operator_a["id"], VenueIn(kind="web_chat", name=name, profile=profile),
        cast.actor("admin"),
    )  # fmt: skip
    await add_to_plan(setup["plan_id"], [int(venue["id"])])
    return int(venue["id"])


async def test_a_taboo_failure_is_counted(live_app: LiveApp, plan_setup: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    h = live_app.headers()
    with DemoChatSite() as site:
        good = await _chat_venue(plan_setup, site, "在线客服", scenario="compliant", delay=0.3)
        taboo = await _chat_venue(
            plan_setup, site, "禁语客服", scenario="taboo_no_reply", delay=0.3
        )
        setup = dict(plan_setup, venues=[good, taboo])
        body = campaign_body(setup, runs=1, probe_kind="chat_script", script_id="ask-tariff")
        r = await live_app.http.post("/campaigns", json=body, headers=h)
        assert r.status_code == 201, r.text
        cid = r.json()["id"]
        r = await live_app.http.post(
            f"/campaigns/{cid}/transitions", json={"action": "schedule"}, headers=h
        )
        assert r.status_code == 200, r.text
        await wait_until_finished(live_app, cid, timeout=120)

    r = await live_app.http.get(f"/campaigns/{cid}/statistics", headers=h)
    assert r.status_code == 200, r.text
    stats = r.json()
    items = {i["item_id"]: i for i in stats["items"]}
    told = items["taboo.no_reply_request"]
    assert (told["passed"], told["failed"]) == (1, 1), told
    assert told["compliance"]["rate"] == 0.5 and told["compliance"]["n"] == 2
    assert items["taboo.come_back_tomorrow"]["failed"] == 0
    assert stats["campaign"]["greeting_compliance"]["rate"] == 1.0  # the greeting was fine

    r = await live_app.http.get(
        f"/campaigns/{cid}/statistics/export", params={"format": "xlsx"}, headers=h
    )
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content))["items"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["taboo.no_reply_request"][1:3] == (1, 1)

    # The campaign page shows the item with its failure.
    r = await live_app.http.get(f"/ui/campaigns/{cid}", headers=h)
    assert r.status_code == 200, r.text
    assert 'data-item="taboo.no_reply_request"' in r.text
    row = r.text.split('data-item="taboo.no_reply_request"')[1].split("</tr>")[0]
    assert '<td class="failed">1</td>' in row
