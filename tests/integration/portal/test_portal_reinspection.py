"""An on-site finding is verified by a re-inspection task: reporting rectification and starting
verification create an open, targeted plan on the same venue for two inspectors (seed 004
Art. 7); their submitted (and confirmed) inspection's answer for the item closes the finding
when it passes, and reopens it when it still fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.portal_world import png_bytes


async def _answer_all(
    inspection_id: int, checklist: Any, actor: Any, failing: str | None, evidence_by: Any
) -> None:
    from audit.domain.inspections import services as inspections
    from audit.domain.inspections.answers import AnswerWrite

    for item in checklist.items():
        result = "fail" if item.id == failing else "pass"
        await inspections.record_answer(
            inspection_id, AnswerWrite(item.id, result, "现场所见"), actor
        )
        if result == "fail":
            for kind in item.evidence_required:
                data = png_bytes() if kind in ("photo", "screenshot") else "记录".encode()
                await inspections.attach_evidence(
                    inspection_id, item.id, data, kind, f"{kind}.bin", evidence_by
                )


async def _submitted(plan_id: int, venue_id: int, cast: Any, failing: str | None) -> int:
    from audit.domain.inspections import services as inspections
    from audit.domain.inspections import submission
    from audit.domain.plans.checklist_versions import pinned_checklist

    insp1, insp2 = cast.actor("inspector1"), cast.actor("inspector2")
    inspection = await inspections.open_inspection(plan_id, venue_id, None, insp1)
    checklist = await pinned_checklist(inspection["checklist_version_id"])
    await _answer_all(inspection["id"], checklist, insp1, failing, insp1)
    await submission.submit_inspection(inspection["id"], insp1)
    await submission.confirm_inspection(inspection["id"], insp2)  # the second of the pair
    return int(inspection["id"])


async def _on_site_notice(cast: Any) -> tuple[dict[str, Any], int, str]:
    from audit import clock
    from audit.context import SYSTEM
    from audit.domain.notices import issuing
    from audit.domain.notices import services as notices
    from audit.domain.notices.drafts import create_rectification_draft
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.plans import services as plans
    from audit.domain.plans.checklist_versions import import_checklist
    from audit.domain.plans.schemas import PlanIn
    from audit.domain.portal import items
    from checklists.loader import CHECKLIST_DIR, load_all

    hall = await create_venue(
        cast.operator_a["id"],
        VenueIn(kind="business_hall", name="文三路营业厅", region="330100", address="文三路 1 号"),
        SYSTEM,
    )
    cl = load_all(CHECKLIST_DIR)["business-hall"]
    version, _ = await import_checklist(cl, SYSTEM)
    failing = cl.items()[0].id
    now = clock.now()
    plan = await plans.create_plan(
        PlanIn(
            name="营业厅明查",
            operator_id=cast.operator_a["id"],
            method="open",
            sampling="targeted",
            venue_ids=[hall["id"]],
            checklist_version_ids=[version["id"]],
            inspector_ids=[cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]],
            window_start=now - dt.timedelta(days=2),
            window_end=now + dt.timedelta(days=20),
        ),
        cast.actor("admin"),
    )
    for action in ("approve", "activate"):
        await plans.transition(plan["id"], action, cast.actor("supervisor"))
    inspection_id = await _submitted(plan["id"], hall["id"], cast, failing)
    for action in ("complete", "publish"):
        await plans.transition(plan["id"], action, cast.actor("supervisor"))
    draft = await create_rectification_draft(
        inspection_id,
        cast.actor("inspector1"),
        deadline=clock.today("Asia/Shanghai") + dt.timedelta(days=10),
    )
    content = dict(draft["content"])
    content["findings"] = [{**f, "rectification": "按要求张贴"} for f in content["findings"]]
    await notices.update_draft(draft["id"], cast.actor("inspector1"), content)
    await notices.approve(draft["id"], cast.actor("supervisor"))
    notice = await issuing.issue(draft["id"], cast.actor("supervisor"))
    (item,) = await items.list_items(notice_id=notice["id"])
    return item, hall["id"], failing


@pytest.mark.parametrize("still_failing", [False, True])
async def test_reinspection_decides(cast: Any, still_failing: bool) -> None:
    from audit.domain.plans.access import load_plan
    from audit.domain.portal import items, operator_side, verification
    from audit.errors import DomainError

    item, hall_id, failing = await _on_site_notice(cast)
    assert item["origin"] == "on_site"
    await operator_side.report_rectification(
        item["id"], cast.actor("op_a"), "已张贴资费标准", dt.date.today()
    )
    assert (await items.load(item["id"]))["verification"] is None  # no re-probe proposed
    with pytest.raises(DomainError, match="two inspectors"):
        await verification.start(
            item["id"], cast.actor("supervisor"), inspector_ids=[cast.users["inspector1"]["id"]]
        )
    await verification.start(item["id"], cast.actor("supervisor"))
    v = (await items.load(item["id"]))["verification"]
    plan = await load_plan(v["plan_id"])
    assert v["kind"] == "reinspection" and plan["method"] == "open" and plan["on_site"]
    assert sorted(plan["inspector_ids"]) == sorted(
        [cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]]
    )
    assert await verification.evaluate(item["id"]) == "running"  # nobody has been there yet

    await _submitted(v["plan_id"], hall_id, cast, failing if still_failing else None)
    outcome = await verification.evaluate(item["id"])
    after = await items.load(item["id"])
    if still_failing:
        assert outcome == "failed" and after["state"] == "reopened"
    else:
        assert outcome == "passed" and after["state"] == "closed"
        assert after["close_reason"].startswith("复查合格")
