"""Greeting rules are judged at the call's own (simulated) time in Beijing: a morning call
needs 早上好, a call on National Day needs 国庆节快乐 (which then replaces 早上好)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from probing_support import Live, item_results

MORNING = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing
NATIONAL_DAY = dt.datetime(2026, 10, 1, 1, 0, tzinfo=dt.UTC)  # 09:00, 1 October


@pytest.fixture
def extra_scenarios() -> dict[str, Any]:
    rest = [
        {"text": "您好!请问有什么可以帮您?", "then_wait_s": 5},
        {"text": "非常抱歉,您的电话没有声音,请您换一部电话再打来,再见!", "then_wait_s": 5},
    ]
    return {
        "+861055550301": {"answer_after_rings": 1, "utterances": [
            {"text": "早上好!示例电信客服中心,请问有什么可以帮您?", "then_wait_s": 5}, *rest]},
        "+861055550302": {"answer_after_rings": 1, "utterances": [
            {"text": "国庆节快乐!示例电信客服中心,请问有什么可以帮您!", "then_wait_s": 5}, *rest]},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("sim_clock", "target", "items"),
    [
        (MORNING, "+861055550101", {"greeting.time_of_day": "fail", "greeting.holiday": "na"}),
        (MORNING, "+861055550301", {"greeting.time_of_day": "pass", "greeting.holiday": "na"}),
        (NATIONAL_DAY, "+861055550301", {"greeting.time_of_day": "na", "greeting.holiday": "fail"}),
        (NATIONAL_DAY, "+861055550302", {"greeting.time_of_day": "na", "greeting.holiday": "pass"}),
    ],
    indirect=["sim_clock"],
)
async def test_time_and_holiday(
    live: Live, hotline: dict[str, Any], target: str, items: dict[str, str]
) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target=target)
    run = await live.finished(run)
    assert run["status"] == "completed"
    results = await item_results(live, hotline["inspection"]["id"])
    assert {k: results[k] for k in items} == items, run["measures"]["greeting"]
