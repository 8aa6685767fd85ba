"""Scoring on the database: deductions, veto ⇒ 0, N/A rescaling, pass mark, reproducibility."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from audit.domain.inspections.access import load_inspection
from audit.domain.inspections.services import compute_score
from tests.integration.plans.world import JPEG, PNG, World, active_plan, submit_confirmed, wav_bytes


async def _items(client: Any, world: World, inspection: dict[str, Any]) -> list[dict[str, Any]]:
    r = await client.get(
        f"/checklists/versions/{inspection['checklist_version_id']}",
        headers=world.cast.headers("inspector1"),
    )
    return [i for s in r.json()["content"]["sections"] for i in s["items"]]


async def _run(
    client: Any,
    world: World,
    venue: str,
    checklist: str,
    answers: dict[str, str],
    evidence: dict[str, tuple[str, bytes]] | None = None,
) -> dict[str, Any]:
    """Inspect ``venue`` with ``checklist``: given answers, every other item passes."""
    plan = await active_plan(
        client,
        world,
        venue_ids=[world.venues[venue]["id"]],
        checklist_version_ids=[world.versions[checklist]["id"]],
    )
    h = world.cast.headers("inspector1")
    r = await client.post(
        f"/plans/{plan['id']}/inspections", json={"venue_id": world.venues[venue]["id"]}, headers=h
    )
    assert r.status_code == 201, r.text
    inspection = r.json()
    for item in await _items(client, world, inspection):
        result = answers.get(item["id"], "pass")
        r = await client.put(
            f"/inspections/{inspection['id']}/items/{item['id']}",
            json={"result": result, "note": "现场记录" if result == "fail" else ""},
            headers=h,
        )
        assert r.status_code == 200, r.text
    for item_id, (kind, data) in (evidence or {}).items():
        r = await client.post(
            f"/inspections/{inspection['id']}/items/{item_id}/evidence",
            files={"file": ("evidence.bin", data)},
            data={"kind": kind},
            headers=h,
        )
        assert r.status_code == 201, r.text
    return await submit_confirmed(client, world, inspection["id"])


async def test_deductions_of_failed_items(client: Any, world: World) -> None:
    done = await _run(
        client,
        world,
        "hall_hz",
        "business-hall",
        {"environment.tariffs_posted": "fail", "environment.hours_posted": "fail"},
        {"environment.tariffs_posted": ("photo", PNG), "environment.hours_posted": ("photo", JPEG)},
    )
    assert done["status"] == "submitted"
    assert done["score"] == "83.00"  # 100 − 10 − 7
    assert done["passed"] is True  # pass mark 80


async def test_below_pass_mark_fails(client: Any, world: World) -> None:
    done = await _run(
        client,
        world,
        "hall_hz",
        "business-hall",
        {"contract.no_unlawful_clause": "fail", "handling.waiting_time": "fail"},
        {"contract.no_unlawful_clause": ("photo", PNG)},
    )
    assert done["score"] == "70.00"
    assert done["passed"] is False


async def test_failed_veto_scores_zero(client: Any, world: World) -> None:
    done = await _run(
        client,
        world,
        "chat",
        "online-chat",
        {"veto.argue": "fail"},
        {"veto.argue": ("screenshot", PNG)},
    )
    assert done["score"] == "0"
    assert done["passed"] is False
    assert done["score_detail"]["veto_failed"] == ["veto.argue"]


async def test_na_items_are_removed_and_the_score_rescaled(client: Any, world: World) -> None:
    done = await _run(
        client,
        world,
        "hotline",
        "hotline",
        {
            "greeting.time_of_day": "na",
            "greeting.holiday": "na",
            "greeting.apology_when_late": "na",
            "silent.protocol": "na",
            "conduct.closing": "fail",
        },
        {"conduct.closing": ("recording", wav_bytes())},
    )
    # applicable 100 − 4 − 4 − 4 − 12 = 76; 6 lost ⇒ 100 × 70 / 76 = 92.105… → 92.11
    assert done["score_detail"]["applicable_max"] == "76"
    assert done["score"] == "92.11"
    assert done["passed"] is True


async def test_score_is_reproducible_from_stored_answers_and_pinned_version(
    client: Any, world: World
) -> None:
    done = await _run(
        client,
        world,
        "hall_hz",
        "business-hall",
        {"environment.clean": "fail"},
        {"environment.clean": ("photo", PNG)},
    )
    # the checklist is edited after the fact: a new version, the pinned one unchanged
    from checklists.loader import CHECKLIST_DIR

    text = (CHECKLIST_DIR / "business_hall.yaml").read_text(encoding="utf-8")
    # environment.clean 6 → 8, environment.hours_posted 7 → 5 (still 100 in all)
    edited = text.replace("deduction: 6", "deduction: 8").replace("deduction: 7", "deduction: 5", 1)
    r = await client.put(
        f"/checklists/versions/{world.versions['business-hall']['id']}",
        json={"yaml": edited},
        headers=world.cast.headers("admin"),
    )
    assert r.status_code == 201, r.text
    again = await compute_score(await load_inspection(done["id"]))
    assert again.score == Decimal(done["score"]) == Decimal("94.00")
