"""The complaints pages over HTTP: a CSV uploaded through the form is imported with every line
accounted for and its rejects file downloadable; the triggers list shows the escalation and
links the draft order."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from tests.web import csrf_token, form_login

CSV = (
    "external_id,operator,region,issue,received_at,channel,summary\n"
    "E1,甲通信有限公司,320100,billing,2026-03-01,web,多扣费\n"
    "E2,甲通信有限公司,320100,billing,2026-03-02,web,多扣费\n"
    "E3,无此企业,320100,billing,2026-03-02,web,x\n"
    "E4,甲通信有限公司,320100,billing,2026-03-03,web,多扣费\n"
    "E5,甲通信有限公司,320100,billing,not-a-date,web,x\n"
    "E6,甲通信有限公司,320100,billing,2026-03-20,web,又扣费\n"
)


async def test_upload_rejects_file_and_triggers(client: Any, cast: Any) -> None:
    await form_login(client, "inspector1")
    token = await csrf_token(client)
    r = await client.post(
        "/ui/complaints/import",
        data={"_csrf_token": token, "mapping": ""},
        files={"file": ("c.csv", CSV.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    result = await client.get(r.headers["location"])
    assert re.search(r'id="n-imported">4<', result.text)
    assert re.search(r'id="n-rejected">2<', result.text)
    link = re.search(r'href="(/ui/complaints/imports/[0-9a-f]{32}/rejects\.csv)"', result.text)
    assert link
    rejects = await client.get(link.group(1))
    assert rejects.status_code == 200
    rows = list(csv.reader(io.StringIO(rejects.text)))
    assert rows[0][:4] == ["line", "field", "reason", "external_id"]
    assert [(x[0], x[1], x[3]) for x in rows[1:]] == [
        ("4", "operator", "E3"),
        ("6", "received_at", "E5"),
    ]

    r = await client.get("/ui/complaints/triggers")
    assert r.status_code == 200
    row = re.search(r'<tr data-id="(\d+)">(.*?)</tr>', r.text, re.S)
    assert row and '<td class="escalation">1</td>' in row.group(2)  # E6 joined after firing
    detail = await client.get(f"/ui/complaints/triggers/{row.group(1)}")
    assert detail.status_code == 200 and "E6" in detail.text and "E1" in detail.text
    order = re.search(r'href="/ui/notices/(\d+)"', detail.text)
    assert order, "the draft self-inspection order is linked"

    # a refused upload names the field, nothing is stored
    r = await client.post(
        "/ui/complaints/import",
        data={"_csrf_token": token, "mapping": "no_such_mapping"},
        files={"file": ("c.csv", CSV.encode(), "text/csv")},
    )
    assert r.status_code == 422 and 'id="e-mapping"' in r.text
    r = await client.get("/ui/complaints/imports/" + "0" * 32)
    assert r.status_code == 404
