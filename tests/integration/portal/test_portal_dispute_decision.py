"""Dispute review: the supervisor who recorded the finding may not decide it; another
supervisor's adjustment amends the stored answer, re-scores the inspection, and issues a
corrected notice that supersedes the old one (which then verifies as superseded); the
operator is told; the items move to the corrected notice."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal_world import MANUAL_ITEM, PROBE_ITEM, build


async def test_adjust_rescores_and_supersedes(mailed_cast: Any) -> None:
    from audit.domain.delivery.outbox import list_deliveries
    from audit.domain.inspections.access import load_inspection
    from audit.domain.notices import registry
    from audit.domain.notices.issuing import pdf_file
    from audit.domain.notices.services import load
    from audit.domain.portal import items, operator_side, review
    from audit.errors import Forbidden

    cast = mailed_cast
    world = await build(cast)
    before_score = (await load_inspection(world.inspection_id))["score"]
    manual = world.item(MANUAL_ITEM)
    dispute = await operator_side.file_dispute(
        manual["id"], cast.actor("op_a"), "通话中客户并未询问工号", "撤销或调整为不适用"
    )
    assert (await items.load(manual["id"]))["state"] == "disputed"

    with pytest.raises(Forbidden, match="recorded the finding"):
        await review.decide_dispute(dispute["id"], cast.actor("supervisor"), "adjust", "x", "na")

    decided = await review.decide_dispute(
        dispute["id"], cast.actor("supervisor2"), "adjust", "录音中无询问工号的情节", "na"
    )
    assert decided["status"] == "adjusted" and decided["corrected_notice_id"]
    after = await load_inspection(world.inspection_id)
    assert float(after["score"]) > float(before_score)  # re-scored from the stored answers
    assert MANUAL_ITEM in after["score_detail"]["na_items"]

    old = await load(world.notice["id"])
    new = await load(decided["corrected_notice_id"])
    assert old["status"] == "superseded" and old["superseded_by"] == new["id"]
    assert new["status"] == "issued" and new["supersedes"] == old["id"]
    assert [f["item"] for f in new["content"]["findings"]] == [world.item(PROBE_ITEM)["title"]]
    check = await registry.verify_file(pdf_file(old).read_bytes())
    assert check.public()["status"] == "superseded"

    moved = await items.list_items(notice_id=new["id"])
    assert {i["id"] for i in moved} == {i["id"] for i in world.items}
    assert (await items.load(manual["id"]))["state"] == "adjusted"
    events = [d["event"] for d in await list_deliveries(operator_id=cast.operator_a["id"])]
    assert events.count("notice.issued") == 2 and "dispute.decided" in events


async def test_uphold_keeps_the_notice(cast: Any) -> None:
    from audit.domain.notices.services import load
    from audit.domain.portal import items, operator_side, review

    world = await build(cast)
    probe = world.item(PROBE_ITEM)
    dispute = await operator_side.file_dispute(probe["id"], cast.actor("op_a"), "我方认为合规", "")
    decided = await review.decide_dispute(
        dispute["id"], cast.actor("supervisor"), "uphold", "录音清楚显示仅问候一次"
    )
    assert decided["status"] == "upheld" and decided["corrected_notice_id"] is None
    assert (await items.load(probe["id"]))["state"] == "upheld"
    assert (await load(world.notice["id"]))["status"] == "issued"


async def test_overturning_the_only_finding_revokes(cast: Any) -> None:
    """Overturned findings leave the corrected notice; with none left the notice is revoked."""
    from audit.domain.notices.services import load
    from audit.domain.portal import items, operator_side, review

    world = await build(cast)
    sup2 = cast.actor("supervisor2")
    corrected = []
    for code in (PROBE_ITEM, MANUAL_ITEM):
        d = await operator_side.file_dispute(world.item(code)["id"], cast.actor("op_a"), "异议", "")
        corrected.append(
            (await review.decide_dispute(d["id"], sup2, "overturn", "证据不足"))[
                "corrected_notice_id"
            ]
        )
    # the first overturn corrected the notice; the second left nothing to correct
    assert corrected[0] is not None and corrected[1] is None
    assert (await load(world.notice["id"]))["status"] == "superseded"
    assert (await load(corrected[0]))["status"] == "revoked"
    assert {i["state"] for i in await items.list_items(operator_id=cast.operator_a["id"])} == {
        "overturned"
    }
