"""POST /notices takes no hand-typed ranking for the public quality notice: its rows come only
from POST /notices/public-report (computed from data); a computed draft stays editable before
approval, every edit logged with before and after (issue 20)."""

from __future__ import annotations

from typing import Any

ROW = {"operator": "甲通信有限公司", "probes": 100, "answered": 99, "mean_answer_s": 3.0,
       "compliant": 98, "score": 99.0}  # fmt: skip


async def test_typed_ranking_rows_are_refused(client: Any, cast: Any) -> None:
    sup = cast.headers("supervisor")
    typed = {"period": "2026年第三季度", "scope": "全省", "rows": [ROW]}
    r = await client.post("/notices", json={"notice_type": "public_notice", "content": typed},
                          headers=sup)  # fmt: skip
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["field"] == "content.rows"
    assert "/notices/public-report" in body["detail"]
    # claiming the figures are computed does not make them so
    forged = {"period": "x", "scope": "y", "from_data": True}
    r = await client.post("/notices", json={"notice_type": "public_notice", "content": forged,
                                            "source": {"public_report": {"period": "2026Q3"}}},
                          headers=sup)  # fmt: skip
    assert r.status_code == 400 and r.json()["field"] == "content.from_data", r.text

    # a draft without rows may be started by hand, but an edit cannot add them either
    r = await client.post("/notices", json={"notice_type": "public_notice",
                                            "content": {"period": "2026年第三季度"}},
                          headers=sup)  # fmt: skip
    assert r.status_code == 201, r.text
    hand = r.json()
    assert "rows" in hand["missing"]
    r = await client.patch(f"/notices/{hand['id']}", json={"content": typed}, headers=sup)
    assert r.status_code == 400 and r.json()["field"] == "content.rows", r.text

    # other notice types are untouched by the rule
    r = await client.post("/notices", json={"notice_type": "rectification",
                                            "operator_id": cast.operator_a["id"],
                                            "content": {"rows": [1]}}, headers=sup)  # fmt: skip
    assert r.status_code == 201, r.text


async def test_computed_draft_is_editable_and_logged(client: Any, cast: Any) -> None:
    from audit.context import SYSTEM
    from audit.domain.auditlog.services import entries
    from audit.domain.complaints.schemas import ComplaintIn
    from audit.domain.complaints.services import add_complaint

    for name, ext in (("甲通信有限公司", "A1"), ("乙通信有限公司", "B1")):
        await add_complaint(ComplaintIn(external_id=ext, operator=name, region="320100",
                                        issue="billing", received_at="2026-08-01"), SYSTEM)  # fmt: skip
    sup = cast.headers("supervisor")
    r = await client.post("/notices/public-report", json={"period": "2026Q3"}, headers=sup)
    assert r.status_code == 201, r.text
    draft = r.json()
    content = draft["content"]
    assert content["from_data"] is True and len(content["rows"]) == 2
    row = content["rows"][0]
    fixed = dict(content, rows=[dict(row, probes=row["probes"] + 7), *content["rows"][1:]])
    r = await client.patch(f"/notices/{draft['id']}", json={"content": fixed}, headers=sup)
    assert r.status_code == 200, r.text
    (edit,) = await entries("notice", str(draft["id"]), action="notice.edit")
    assert edit["before"] == {"content": {"rows[0].probes": row["probes"]}}
    assert edit["after"] == {"content": {"rows[0].probes": row["probes"] + 7}}
