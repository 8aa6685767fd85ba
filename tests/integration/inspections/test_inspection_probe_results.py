"""The path probes use: automated item results judged from measures by the item's binding."""

from __future__ import annotations

from typing import Any

import pytest

from audit.context import SYSTEM
from audit.domain.evidence.services import store_evidence
from audit.domain.inspections.services import EvidenceUpload, record_item_result
from audit.domain.inspections.tables import ItemResult
from audit.errors import DomainError, NotFound
from tests.integration.plans.world import World, active_plan, wav_bytes


async def _hotline_inspection(client: Any, world: World) -> int:
    plan = await active_plan(
        client,
        world,
        venue_ids=[world.venues["hotline"]["id"]],
        checklist_version_ids=[world.versions["hotline"]["id"]],
        method="covert",
    )
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hotline"]["id"]},
        headers=world.cast.headers("inspector1"),
    )
    return int(r.json()["id"])


async def test_measures_are_judged_by_the_bound_rule(client: Any, world: World) -> None:
    iid = await _hotline_inspection(client, world)
    silent = {
        "silent_call": {"verdict": "fail", "repetitions": 2, "reasons": ["too_few_repetitions"]}
    }
    row = await record_item_result(
        iid,
        "silent.protocol",
        None,
        silent,
        [EvidenceUpload(wav_bytes(), "recording", "probe.wav")],
        SYSTEM,
    )
    assert row["result"] == "fail" and row["source"] == "probe"
    assert row["measures"] == silent
    assert [e["media_type"] for e in row["evidence"]] == ["audio/wav"]

    row = await record_item_result(
        iid, "connect.three_rings", None, {"answer_seconds": 12.5}, [], SYSTEM
    )
    assert row["result"] == "pass"  # ≤ params.max_answer_seconds (15)
    row = await record_item_result(
        iid, "connect.three_rings", None, {"answer_seconds": 16}, [], SYSTEM
    )
    assert row["result"] == "fail"
    # null measure: cannot judge ⇒ N/A where allowed
    row = await record_item_result(
        iid, "greeting.time_of_day", None, {"greeting": {"time_of_day": None}}, [], SYSTEM
    )
    assert row["result"] == "na"


async def test_existing_evidence_ids_are_linked(client: Any, world: World) -> None:
    iid = await _hotline_inspection(client, world)
    ev = await store_evidence(wav_bytes(), "recording", "rec.wav", SYSTEM)
    row = await record_item_result(
        iid, "connect.reachable", None, {"answered": True}, [ev["id"]], SYSTEM
    )
    assert row["result"] == "pass" and [e["id"] for e in row["evidence"]] == [ev["id"]]


async def test_bad_automated_results_write_nothing(client: Any, world: World) -> None:
    iid = await _hotline_inspection(client, world)
    with pytest.raises(NotFound):
        await record_item_result(iid, "no.such.item", "pass", {}, [], SYSTEM)
    with pytest.raises(DomainError, match="N/A is not allowed"):
        await record_item_result(iid, "connect.three_rings", None, {}, [], SYSTEM)
    with pytest.raises(DomainError, match="no measure binding"):
        await record_item_result(iid, "conduct.staff_number", None, {}, [], SYSTEM)
    with pytest.raises(DomainError, match="is a str"):
        await record_item_result(
            iid, "connect.three_rings", None, {"answer_seconds": "fast"}, [], SYSTEM
        )
    with pytest.raises(DomainError, match="not a recording"):
        await record_item_result(
            iid,
            "connect.reachable",
            None,
            {"answered": True},
            [EvidenceUpload(b"%PDF-1.4 x", "recording")],
            SYSTEM,
        )
    with pytest.raises(NotFound):
        await record_item_result(
            iid, "connect.reachable", None, {"answered": True}, [987654], SYSTEM
        )
    assert await ItemResult.count() == 0
