"""The public report page over HTTP: the figures table shows the API's numbers (same service),
the sector average pooled; a supervisor drafts the notice from it and lands on its management
page; an analyst sees no draft button and may not post it."""

from __future__ import annotations

import re
from typing import Any

from audit.context import SYSTEM
from tests.web import form_login, post_form


async def _complaints(cast: Any) -> None:
    from audit.domain.complaints.schemas import ComplaintIn
    from audit.domain.complaints.services import add_complaint

    for i, (name, day) in enumerate((("甲通信有限公司", "2026-08-01"), ("甲通信有限公司", "2026-08-02"),
                                     ("乙通信有限公司", "2026-08-03"), ("乙通信有限公司", "2026-05-03"))):  # fmt: skip
        await add_complaint(ComplaintIn(external_id=f"P{i}", operator=name, region="320100",
                                        issue="billing", received_at=day), SYSTEM)  # fmt: skip


def cell(html: str, operator: str, figure: str) -> str:
    row = re.search(rf'<tr data-operator="{operator}">(.*?)</tr>', html, re.S)
    assert row, operator
    m = re.search(rf'data-figure="{figure}" data-value="([^"]*)"', row.group(1))
    assert m, figure
    return m.group(1)


async def test_page_figures_are_the_apis_and_a_supervisor_drafts(client: Any, cast: Any) -> None:
    await _complaints(cast)
    api = await client.get("/reports/public", params={"period": "2026Q3", "scope": "32"},
                           headers=cast.headers("analyst"))  # fmt: skip
    assert api.status_code == 200
    report = api.json()
    await form_login(client, "analyst")
    page = await client.get("/ui/reports/public", params={"period": "2026Q3", "scope": "32"})
    assert page.status_code == 200, page.text
    for o in report["operators"]:
        op = str(o["operator_id"])
        assert cell(page.text, op, "complaints") == str(o["complaints"])
        assert cell(page.text, op, "change_complaints") == str(o["change"]["complaints"])
    assert cell(page.text, "sector", "complaints") == "3" == str(report["sector"]["complaints"])
    assert 'id="draft-notice"' not in page.text  # analysts read, supervisors draft
    r = await post_form(client, "/ui/reports/public/draft", {"period": "2026Q3", "scope": "32"})
    assert r.status_code == 403

    bad = await client.get("/ui/reports/public", params={"period": "2026Q5"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text

    client.cookies.clear()
    await form_login(client, "supervisor")
    page = await client.get("/ui/reports/public", params={"period": "2026Q3", "scope": "32"})
    assert 'id="draft-notice"' in page.text
    r = await post_form(client, "/ui/reports/public/draft", {"period": "2026Q3", "scope": "32"},
                        follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    m = re.fullmatch(r"/ui/notices/(\d+)/manage", r.headers["location"])
    assert m
    notice = await client.get(f"/notices/{m.group(1)}", headers=cast.headers("supervisor"))
    content = notice.json()["content"]
    assert content["from_data"] is True
    assert sorted(x["complaints"] for x in content["rows"]) == [1, 2]
