"""Cross-source duplicates (issue 20): the same complaint arriving by the hotline file and the
web form is flagged for review and counted once; a reviewer's decision re-evaluates the key, and
a trigger that no longer holds has its draft order and plan withdrawn (recorded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.context import SYSTEM
from audit.domain.auditlog.services import entries
from audit.domain.complaints import duplicates
from audit.domain.complaints.schemas import ComplaintIn
from audit.domain.complaints.services import add_complaint, list_triggers
from audit.domain.complaints.tables import Complaint
from audit.domain.notices.tables import Notice
from audit.domain.plans.tables import AuditPlan

from .helpers import import_canonical, operators

HEADER = "external_id,operator,region,issue,received_at,channel,summary,contact\n"


def web(ext: str, day: str, summary: str = "", contact: str = "") -> ComplaintIn:
    return ComplaintIn(
        external_id=ext, source="web", operator="OP-A", region="320100", issue="hotline",
        received_at=day, channel="web form", summary=summary, contact=contact,
    )  # fmt: skip


def hotline_csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "hotline.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


async def by_ext() -> dict[str, dict[str, Any]]:
    rows = await Complaint.select(
        Complaint.id, Complaint.source, Complaint.external_id, Complaint.duplicate_of,
        Complaint.duplicate_state, Complaint.contact_hash, Complaint.summary_hash,
    )  # fmt: skip
    return {f"{r['source']}/{r['external_id']}": r for r in rows}


async def test_hotline_file_and_web_form_pair_is_flagged_and_counted_once(
    db: str, tmp_path: Path
) -> None:
    await operators("OP-A")
    await add_complaint(web("W1", "2026-05-02", "网页投诉", "+86 138 0013 8000"), SYSTEM)
    path = hotline_csv(tmp_path, [
        "H1,OP-A,320100,hotline,2026-05-01,hotline,客服电话打不通,13900139000",
        # same person (the phone in another notation), same day and issue: the web form's W1
        "H2,OP-A,320100,hotline,2026-05-02,hotline,热线无人接听,138-0013-8000",
        "H3,OP-A,320100,hotline,2026-05-03,hotline,「熱線」 無法接通！,",
        # the same summary as H3 in simplified characters, other punctuation and spacing
        "H4,OP-A,320100,hotline,2026-05-03,hotline,热线无法接通,",
        "H5,OP-A,320100,hotline,2026-05-04,hotline,热线无法接通,",  # another day: distinct
        "H6,OP-A,320100,hotline,2026-05-04,hotline,坐席,138****8000",  # masked: cannot compare
    ])  # fmt: skip
    report = await import_canonical(path, source="hotline")
    assert [(e.line, e.field) for e in report.rejected] == [(7, "contact")]
    assert report.imported == 5 and report.duplicates == 2
    got = await by_ext()
    assert (got["hotline/H2"]["duplicate_of"], got["hotline/H2"]["duplicate_state"]) == (
        got["web/W1"]["id"], "pending",
    )  # fmt: skip
    assert got["hotline/H4"]["duplicate_of"] == got["hotline/H3"]["id"]
    assert got["hotline/H5"]["duplicate_of"] is None
    # the contact itself is never stored, only a keyed fingerprint
    assert got["hotline/H2"]["contact_hash"] == got["web/W1"]["contact_hash"] != ""
    assert "8000" not in got["web/W1"]["contact_hash"]

    (t,) = await list_triggers(SYSTEM)
    # the rule counts distinct complaints: H1, W1 (not H2), H3 fire; H5 joins (not H4)
    assert (t["fired_on"], t["external_ids"]) == ("2026-05-03", ["H1", "W1", "H3", "H5"])
    assert (t["count_at_firing"], t["escalation"]) == (3, 1)


async def test_duplicates_inside_one_new_file_are_flagged_in_the_stream(
    db: str, tmp_path: Path
) -> None:
    await operators("OP-A")
    path = hotline_csv(tmp_path, [
        "A1,OP-A,320100,hotline,2026-05-01,hotline,一,Li@Example.COM",
        "A2,OP-A,320100,hotline,2026-05-01,hotline,二, li@example.com ",
        "A3,OP-A,320100,hotline,2026-05-02,hotline,三,",
        "A4,OP-A,320100,hotline,2026-05-10,hotline,四,",
    ])  # fmt: skip
    report = await import_canonical(path, source="hotline")
    assert (report.imported, report.duplicates, report.rejected) == (4, 1, [])
    got = await by_ext()
    assert got["hotline/A2"]["duplicate_of"] == got["hotline/A1"]["id"]
    (t,) = await list_triggers(SYSTEM)
    assert (t["external_ids"], t["count_at_firing"]) == (["A1", "A3", "A4"], 3)


async def _trigger_with_drafts(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Three distinct complaints (one pair the matcher cannot see: different words, no
    contact) fire a trigger whose follow-up drafts an order and a plan."""
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.plans.checklist_versions import import_checklist
    from checklists.loader import CHECKLIST_DIR, load_all

    ops = await operators("OP-A")
    await create_venue(ops["OP-A"], VenueIn(kind="hotline", name="甲热线", region="320100"), SYSTEM)
    await import_checklist(load_all(CHECKLIST_DIR)["hotline"], SYSTEM, source="shipped")
    for ext, day, summary in (("C1", "2026-05-01", "占线"), ("C2", "2026-05-01", "一直忙音"),
                              ("C3", "2026-05-02", "无人接听")):  # fmt: skip
        await add_complaint(web(ext, day, summary), SYSTEM)
    (t,) = await list_triggers(SYSTEM)
    assert t["order_ref"] and t["plan_ref"], t["followup_note"]
    return t, await by_ext()


async def _draft_states(t: dict[str, Any]) -> tuple[str, str]:
    notice = (
        await Notice.select(Notice.status)
        .where(Notice.id == int(t["order_ref"].split(":")[1]))
        .first()
    )
    plan = (
        await AuditPlan.select(AuditPlan.status)
        .where(AuditPlan.id == int(t["plan_ref"].split(":")[1]))
        .first()
    )
    assert notice and plan
    return notice["status"], plan["status"]


async def test_confirming_a_duplicate_below_threshold_withdraws_the_drafts(
    db: str, tmp_path: Path
) -> None:
    t, got = await _trigger_with_drafts(tmp_path)
    assert await _draft_states(t) == ("draft", "draft")
    # the reviewer knows C2 is C1 again (same caller, other words): marked by hand
    _key, out = await duplicates.review(
        got["web/C2"]["id"], "confirm", SYSTEM, of=got["web/C1"]["id"], reason="same caller"
    )
    assert out.superseded == [t["id"]] and out.created == []
    (after,) = await list_triggers(SYSTEM)
    assert after["status"] == "superseded"
    assert "drafts withdrawn" in after["followup_note"]
    assert await _draft_states(t) == ("withdrawn", "withdrawn")
    log = await entries(entity="complaint_trigger", entity_id=str(t["id"]))
    withdrawn = next(e for e in log if e["action"] == "complaint_trigger.withdraw_drafts")
    assert withdrawn["after"]["withdrawn"] == [t["order_ref"], t["plan_ref"]]
    assert "duplicate review" in withdrawn["after"]["reason"]
    review = (await entries(entity="complaint", entity_id=str(got["web/C2"]["id"])))[0]
    assert review["action"] == "complaint.duplicate_confirm"
    assert review["after"]["reason"] == "same caller"
    notice_log = await entries(entity="notice", entity_id=t["order_ref"].split(":")[1])
    assert notice_log[0]["action"] == "notice.withdraw"

    # rejecting it again makes C2 count: the rule fires anew (new drafts, the old stay withdrawn)
    _key, back = await duplicates.review(got["web/C2"]["id"], "reject", SYSTEM)
    assert len(back.created) == 1
    live = await list_triggers(SYSTEM, status="new")
    assert [x["external_ids"] for x in live] == [["C1", "C2", "C3"]]
    assert live[0]["order_ref"] and live[0]["order_ref"] != t["order_ref"]


async def test_superseded_by_a_merged_trigger_withdraws_the_old_drafts(
    db: str, tmp_path: Path
) -> None:
    t, _ = await _trigger_with_drafts(tmp_path)
    # a back-dated complaint fills the pool earlier: the merged trigger replaces t
    await add_complaint(web("C0", "2026-04-30", "打不通"), SYSTEM)
    superseded = await list_triggers(SYSTEM, status="superseded")
    assert [x["id"] for x in superseded] == [t["id"]]
    assert await _draft_states(t) == ("withdrawn", "withdrawn")
    (merged,) = await list_triggers(SYSTEM, status="new")
    assert merged["external_ids"] == ["C0", "C1", "C2", "C3"]
    assert merged["order_ref"] not in (None, t["order_ref"])


async def test_review_refusals(db: str, tmp_path: Path) -> None:
    import pytest

    from audit.errors import Conflict, DomainError, InvalidTransition

    await operators("OP-A")
    a = await add_complaint(web("D1", "2026-05-01", "同一件事"), SYSTEM)
    b = await add_complaint(web("D2", "2026-05-01", "同一件事。"), SYSTEM)
    c = await add_complaint(web("D3", "2026-05-01", "另一件事"), SYSTEM)
    assert (b["duplicate_of"], b["duplicate_state"]) == (a["id"], "pending")
    with pytest.raises(InvalidTransition):  # not flagged and no first complaint named
        await duplicates.review(c["id"], "confirm", SYSTEM)
    with pytest.raises(InvalidTransition):
        await duplicates.review(c["id"], "reject", SYSTEM)
    with pytest.raises(Conflict):  # D2 is itself a duplicate
        await duplicates.review(c["id"], "confirm", SYSTEM, of=b["id"])
    with pytest.raises(Conflict):  # D2 counts as D1's duplicate: D1 cannot become one
        await duplicates.review(a["id"], "confirm", SYSTEM, of=c["id"])
    with pytest.raises(DomainError):
        await duplicates.review(a["id"], "confirm", SYSTEM, of=a["id"])
    await duplicates.review(b["id"], "confirm", SYSTEM)
    with pytest.raises(InvalidTransition):
        await duplicates.review(b["id"], "confirm", SYSTEM)
