"""Drafts made from other domains: an inspection's findings, a complaint trigger."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

from audit.domain.complaints.tables import Complaint, ComplaintKey
from audit.domain.notices import issuing, services
from audit.notices.models import NoticeType
from tests.integration.notices.notice_helpers import submitted_inspection
from tests.integration.plans.world import build_world


async def test_rectification_draft_from_inspection(client: Any, cast: Any) -> None:
    world = await build_world(cast)
    iid = await submitted_inspection(client, world)
    r = await client.post(
        f"/notices/from-inspection/{iid}", json={}, headers=cast.headers("inspector2")
    )
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["operator_id"] == cast.operator_a["id"]
    assert draft["source"]["inspection_id"] == iid and len(draft["source"]["finding_ids"]) == 2
    items = {f["item"] for f in draft["content"]["findings"]}
    assert any("公布资费标准" in i for i in items)
    assert any("等候47分钟" in f["measured"] for f in draft["content"]["findings"])
    assert all(
        f["rule"].startswith("《电信服务质量监督抽查规定》") for f in draft["content"]["findings"]
    )
    assert (
        draft["content"]["findings"][0]["evidence_refs"]
        or draft["content"]["findings"][1]["evidence_refs"]
    )
    # the inspector still has to write what is required and by when
    assert set(draft["missing"]) == {
        "findings[0].rectification",
        "findings[1].rectification",
        "deadline",
    }

    content = draft["content"]
    for f in content["findings"]:
        f["rectification"] = "张贴资费标准并缩短等候时间。"
    content["deadline"] = "2026-12-31"
    sup = cast.actor("supervisor")
    await services.update_draft(draft["id"], cast.actor("inspector2"), content)
    await services.approve(draft["id"], sup)
    issued = await issuing.issue(draft["id"], sup)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(issuing.pdf_file(issued)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = "".join(text.split())
    assert "公布资费标准" in flat and "2026年12月31日" in flat


async def test_findings_report_draft_from_inspection(client: Any, cast: Any) -> None:
    from audit.domain.notices.drafts import create_findings_report_draft

    world = await build_world(cast)
    iid = await submitted_inspection(client, world)
    sup = cast.actor("supervisor")
    draft = await create_findings_report_draft(iid, sup)
    c = draft["content"]
    assert draft["missing"] == [] and draft["invalid"] == []
    assert c["method"] == "暗访"
    tariffs = next(i for i in c["items"] if i["code"] == "environment.tariffs_posted")
    assert tariffs["result"] == "fail" and tariffs["score"] == 0 and tariffs["max_score"] == 10
    env = next(x for x in c["compliance"] if x["label"] == "营业厅整体环境")
    assert env["passed"] == env["total"] - 1
    await services.approve(draft["id"], cast.actor("admin"))  # four eyes: sup drafted it
    issued = await issuing.issue(draft["id"], sup)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(issuing.pdf_file(issued)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "公布资费标准" in "".join(text.split()) and "各项合规率" in text


async def test_self_inspection_draft_from_trigger(cast: Any) -> None:
    op = cast.operator_b["id"]
    key = (
        await ComplaintKey.insert(
            ComplaintKey(
                operator=op,
                operator_given="乙通信有限公司",
                region_key="440300",
                region_given="深圳市",
                issue="network",
            )
        )
        .returning(ComplaintKey._meta.primary_key)
        .run()
    )[0]["id"]
    ids = []
    for i, day in enumerate((3, 9, 17), 1):
        rows = (
            await Complaint.insert(
                Complaint(
                    external_id=f"SS-{i:03d}",
                    key=key,
                    operator=op,
                    region="440300",
                    issue="network",
                    received_on=dt.date(2026, 10, day),
                )
            )
            .returning(Complaint._meta.primary_key)
            .run()
        )
        ids.append(rows[0]["id"])
    trigger = {
        "id": 77,
        "operator": op,
        "region_key": "440300",
        "region_given": "深圳市",
        "issue": "network",
        "complaint_ids": ids,
    }
    draft = await services.create_self_inspection_draft(trigger, cast.actor("supervisor"))
    assert draft["notice_type"] == NoticeType.self_inspection.value
    assert draft["addressee"] == cast.operator_b["name"]
    c = draft["content"]
    assert c["issue"] == "网络质量" and "440300" in c["region"]
    assert [x["id"] for x in c["complaints"]] == ["SS-001", "SS-002", "SS-003"]
    assert c["complaints"][0]["date"] == "2026-10-03"
    assert draft["missing"] == ["deadline"]
    assert draft["source"] == {"trigger_id": 77, "complaint_ids": ids}
