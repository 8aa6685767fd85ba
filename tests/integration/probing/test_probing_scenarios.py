"""A full probe run per kind of contact centre: the real twilio SDK against the simulator,
signed webhooks into the app over HTTP, the recording fetched, stored and analysed, and the
measures handed to the inspection's checklist items."""

from __future__ import annotations

from typing import Any

import pytest
from probing_support import Live, item_results

from audit.domain.evidence.tables import Evidence

CASES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    (
        "+861055550101",  # compliant
        {"outcome": "answered", "answer_seconds": 10.0, "rings": 2,
         "silent_call": "pass", "greeting": "pass"},
        {"connect.reachable": "pass", "connect.three_rings": "pass",
         "greeting.standard": "pass", "silent.protocol": "pass",
         "greeting.apology_when_late": "na", "conduct.forbidden_phrases": "pass"},
    ),
    (
        "+861055550102",  # one greeting, then the agent hangs up
        {"outcome": "answered", "answer_seconds": 5.0, "rings": 1, "silent_call": "fail"},
        {"connect.reachable": "pass", "silent.protocol": "fail"},
    ),
    (
        "+861055550103",  # pauses of 2 s
        {"outcome": "answered", "silent_call": "fail"},
        {"silent.protocol": "fail", "greeting.standard": "pass"},
    ),
    (
        "+861055550104",  # five rings, no apology
        {"outcome": "answered", "answer_seconds": 25.0, "rings": 5, "silent_call": "pass"},
        {"connect.three_rings": "fail", "greeting.apology_when_late": "fail",
         "silent.protocol": "pass"},
    ),
    (
        "+861055550105",  # five rings, with apology
        {"outcome": "answered", "rings": 5},
        {"connect.three_rings": "fail", "greeting.apology_when_late": "pass"},
    ),
    (
        "+861055550106",  # busy
        {"outcome": "busy", "answer_seconds": None},
        {"connect.reachable": "fail"},
    ),
    (
        "+861055550107",  # no answer
        {"outcome": "no_answer", "answer_seconds": None},
        {"connect.reachable": "fail"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("target", "expect", "items"), CASES)
async def test_probe_run(
    live: Live, hotline: dict[str, Any], target: str, expect: dict[str, Any], items: dict[str, str]
) -> None:
    inspection = hotline["inspection"]
    run = await live.start(inspection_id=inspection["id"], target=target)
    assert run["status"] in ("dialing", "in_call", "completed") and run["provider_ref"]
    run = await live.finished(run)
    assert run["status"] == "completed", run
    measures = run["measures"]
    for key, value in expect.items():
        if key in ("silent_call", "greeting"):
            assert measures[key]["verdict"] == value, (key, measures.get(key))
        else:
            assert measures[key] == value, (key, measures)
    answered = expect["outcome"] == "answered"
    if answered:
        (evidence_id,) = run["evidence_ids"]
        row = await Evidence.select().where(Evidence._meta.primary_key == evidence_id).first()
        assert row["kind"] == "recording" and row["media_type"] == "audio/wav"
        assert run["observations"]["recording"]["sha256"] == row["sha256"]
        assert len(run["observations"]["transcript"]) >= 1
    else:
        assert run["evidence_ids"] == []
    results = await item_results(live, inspection["id"])
    for item_id, result in items.items():
        assert results.get(item_id) == result, (item_id, results, run["item_results"])


async def test_target_defaults_to_the_venues_phone(live: Live, hotline: dict[str, Any]) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"])
    assert (run["target"], run["venue_id"], run["plan_id"]) == (
        "+861055550101",
        hotline["venue_id"],
        hotline["plan"]["id"],
    )
    assert run["covert"] is True and run["caller_id"] == "+861055550000"
    run = await live.finished(run)
    assert run["status"] == "completed" and run["params"]["company"] == "示例电信"
