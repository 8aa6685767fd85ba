"""Back-dated arrivals recompute a key; acted-upon triggers are superseded, never deleted."""

from __future__ import annotations

from audit.context import SYSTEM
from audit.domain.auditlog.services import entries
from audit.domain.complaints.schemas import ComplaintIn
from audit.domain.complaints.services import (
    add_complaint,
    export_triggers,
    list_triggers,
    set_trigger_status,
)

from .helpers import operators


def c(ext: str, day: str) -> ComplaintIn:
    return ComplaintIn(
        external_id=ext, operator="OP-A", region="320100", issue="billing", received_at=day
    )


async def _first_trigger() -> dict:
    await operators("OP-A")
    for ext, day in (("E001", "2026-03-01"), ("E002", "2026-03-20"), ("E003", "2026-04-01")):
        await add_complaint(c(ext, day), SYSTEM)
    (t,) = await list_triggers(SYSTEM)
    assert (t["fired_on"], t["external_ids"]) == ("2026-04-01", ["E001", "E002", "E003"])
    return t


EXPECTED_AFTER = [
    {
        "operator": "OP-A",
        "region": "320100",
        "issue": "billing",
        "fired_on": "2026-03-20",
        # E004 (02-25) makes the pool full on 03-20; E003 (04-01 ≤ 04-20) joins that trigger.
        "complaints": ["E004", "E001", "E002", "E003"],
    }
]


async def test_backdated_complaint_withdraws_trigger_nothing_was_issued_for(db: str) -> None:
    old = await _first_trigger()
    out = await add_complaint(c("E004", "2026-02-25"), SYSTEM)
    assert await export_triggers() == EXPECTED_AFTER
    log = await entries(entity="complaint_trigger", entity_id=str(old["id"]))
    if old["order_ref"] or old["plan_ref"]:  # drafts were made by other domains' hooks
        assert out["triggers_superseded"] == [old["id"]]
        # its drafts are withdrawn with it, never left behind (issue 20)
        assert [e["action"] for e in log[:2]] == [
            "complaint_trigger.withdraw_drafts",
            "complaint_trigger.supersede",
        ]
    else:
        assert out["triggers_withdrawn"] == [old["id"]]
        assert log[0]["action"] == "complaint_trigger.withdraw"


async def test_backdated_complaint_supersedes_trigger_whose_order_was_issued(db: str) -> None:
    old = await _first_trigger()
    await set_trigger_status(old["id"], "order_issued", SYSTEM)
    out = await add_complaint(c("E004", "2026-02-25"), SYSTEM)
    assert out["triggers_superseded"] == [old["id"]]
    assert await export_triggers() == EXPECTED_AFTER
    everything = await export_triggers(include_superseded=True)
    assert {t["fired_on"] for t in everything} == {"2026-03-20", "2026-04-01"}
    (kept,) = await list_triggers(SYSTEM, status="superseded")
    assert kept["id"] == old["id"]
    assert kept["external_ids"] == ["E001", "E002", "E003"]  # as it was when acted upon
    log = await entries(entity="complaint_trigger", entity_id=str(old["id"]))
    actions = [e["action"] for e in log if e["action"] != "complaint_trigger.withdraw_drafts"]
    assert actions[:2] == ["complaint_trigger.supersede", "complaint_trigger.status"]
    supersede = next(e for e in log if e["action"] == "complaint_trigger.supersede")
    assert supersede["after"]["status"] == "superseded"


async def test_backdated_complaint_that_changes_nothing_keeps_trigger(db: str) -> None:
    old = await _first_trigger()
    # 2026-01-05 is more than a month before every other complaint: it cannot join any pool.
    out = await add_complaint(c("E000", "2026-01-05"), SYSTEM)
    assert out["triggers_created"] == out["triggers_superseded"] == out["triggers_withdrawn"] == []
    (t,) = await list_triggers(SYSTEM)
    assert t["id"] == old["id"]


async def test_join_after_firing_counts_as_escalation(db: str) -> None:
    old = await _first_trigger()
    out = await add_complaint(c("E005", "2026-05-01"), SYSTEM)  # fired 04-01, +1 month = 05-01
    assert out["triggers_escalated"] == [old["id"]]
    (t,) = await list_triggers(SYSTEM)
    assert (t["count_at_firing"], t["escalation"]) == (3, 1)
    assert t["external_ids"] == ["E001", "E002", "E003", "E005"]
    log = await entries(entity="complaint_trigger", entity_id=str(old["id"]))
    assert log[0]["action"] == "complaint_trigger.escalate"
    out = await add_complaint(c("E006", "2026-05-02"), SYSTEM)  # outside: a new pool
    assert out["triggers_escalated"] == [] and out["triggers_created"] == []
