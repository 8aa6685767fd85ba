"""The operator's actions on findings: rectification with evidence (sniffed, hashed, limited),
amendments until verification starts, disputes inside the window of working days only —
refused afterwards naming the date it closed — and never on another operator's finding."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.portal_world import MANUAL_ITEM, PROBE_ITEM, build, png_bytes


async def test_rectification_with_photo_then_amend_until_verifying(
    cast: Any, caller_ids: None
) -> None:
    from audit.domain.evidence.services import get_many, verify_evidence
    from audit.domain.portal import items, operator_side, verification
    from audit.domain.portal.operator_side import Upload
    from audit.errors import DomainError, InvalidTransition

    world = await build(cast)
    probe = world.item(PROBE_ITEM)
    op = cast.actor("op_a")
    with pytest.raises(DomainError, match="evidence rejected") as bad:
        await operator_side.report_rectification(
            probe["id"], op, "培训", dt.date.today(), [Upload("x.exe", b"MZ\x90\x00binary")]
        )
    assert bad.value.field == "files[0]"
    rect = await operator_side.report_rectification(
        probe["id"],
        op,
        "已对坐席开展无声电话规范培训",
        dt.date.today(),
        [Upload("培训照片.png", png_bytes())],
    )
    (ev,) = await get_many(rect["evidence_ids"])
    assert ev["kind"] == "photo" and ev["media_type"] == "image/png"
    assert (await verify_evidence(ev["id"]))["status"] == "ok"
    item = await items.load(probe["id"])
    assert item["state"] == "rectification_reported"
    assert (
        item["verification"]["kind"] == "reprobe" and item["verification"]["status"] == "proposed"
    )
    assert item["verification"]["sample_size"] > 1

    amended = await operator_side.amend_rectification(rect["id"], op, "培训并抽检 20 通", None)
    assert amended["description"] == "培训并抽检 20 通"
    assert amended["revisions"][0]["description"] == "已对坐席开展无声电话规范培训"

    await verification.start(probe["id"], cast.actor("supervisor"), window_days=1)
    assert (await items.load(probe["id"]))["state"] == "verifying"
    with pytest.raises(InvalidTransition, match="verification started"):
        await operator_side.amend_rectification(rect["id"], op, "再改", None)


async def test_dispute_window_closes_after_five_working_days(cast: Any) -> None:
    from audit import clock
    from audit.domain.portal import items, operator_side
    from audit.domain.portal.workdays import add_working_days
    from audit.errors import DomainError

    world = await build(cast)
    notice_day = items.delivered_on(world.notice)
    closes = add_working_days(notice_day, 5)
    after = dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(2), tzinfo=dt.UTC)
    item_id = world.item(MANUAL_ITEM)["id"]
    with clock.moved_clock(after), pytest.raises(DomainError) as late:
        await operator_side.file_dispute(item_id, cast.actor("op_a"), "异议", "")
    assert f"closed on {closes.isoformat()}" in late.value.message
    assert (await items.load(world.item(MANUAL_ITEM)["id"]))["state"] == "open"
    with clock.moved_clock(dt.datetime.combine(closes, dt.time(8), tzinfo=dt.UTC)):
        d = await operator_side.file_dispute(
            world.item(MANUAL_ITEM)["id"], cast.actor("op_a"), "异议", ""
        )  # the last day of the window still counts
    assert d["window_closes_on"] == closes


async def test_other_operator_gets_not_found(cast: Any) -> None:
    from audit.domain.portal import operator_side
    from audit.errors import NotFound

    world = await build(cast)
    for action in (
        operator_side.file_dispute(world.items[0]["id"], cast.actor("op_b"), "异议", ""),
        operator_side.report_rectification(
            world.items[0]["id"], cast.actor("op_b"), "x", dt.date.today()
        ),
    ):
        with pytest.raises(NotFound, match=f"finding {world.items[0]['id']} not found"):
            await action


async def test_close_with_reason_then_closing_letter(mailed_cast: Any) -> None:
    from audit.domain.notices.services import load
    from audit.domain.portal import items, operator_side, review
    from audit.errors import InvalidTransition
    from tests.unit.notices.pdftools import pdftotext

    cast = mailed_cast
    world = await build(cast)
    sup = cast.actor("supervisor")
    with pytest.raises(InvalidTransition, match="findings not closed yet: 1 \\(open\\), 2"):
        await review.issue_closing_letter(world.notice["id"], sup)
    await operator_side.report_rectification(
        world.items[0]["id"], cast.actor("op_a"), "已整改", dt.date.today()
    )
    with pytest.raises(Exception, match="written reason"):
        await review.close_item(world.items[0]["id"], sup, "  ")
    for item in world.items:
        await review.close_item(item["id"], sup, "整改报告及录音抽查属实")
    assert {i["state"] for i in await items.list_items(notice_id=world.notice["id"])} == {"closed"}
    letter = await review.issue_closing_letter(world.notice["id"], sup)
    assert letter["notice_type"] == "closing_letter" and letter["status"] == "issued"
    assert letter["number"].startswith("复查〔")
    from audit.domain.notices.issuing import pdf_file

    text = "".join(pdftotext(pdf_file(letter).read_bytes()).split())
    assert "整改复查意见书" in text and world.notice["number"].replace(" ", "") in text
    with pytest.raises(InvalidTransition, match="already has a closing letter"):
        await review.issue_closing_letter(world.notice["id"], sup)
    assert (await load(world.notice["id"]))["status"] in ("issued", "delivered")
