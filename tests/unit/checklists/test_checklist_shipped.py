"""Every shipped checklist validates, and carries the seed rules it claims to encode."""

from __future__ import annotations

from collections import Counter

import pytest

from checklists.loader import CHECKLIST_DIR, checklist_files, load_all, validate_file
from checklists.schema import Checklist

SHIPPED = {
    "business-hall",
    "agency-point",
    "hotline",
    "sms-service",  # issue 19: the SMS probe channel's checklist
    "hotline-house-rule-002",
    "online-chat",
    "info-line",
}


@pytest.fixture(scope="module")
def shipped() -> dict[str, Checklist]:
    return load_all(CHECKLIST_DIR)


@pytest.mark.parametrize("path", checklist_files(CHECKLIST_DIR), ids=lambda p: p.name)
def test_each_file_validates(path: object) -> None:
    checklist, problems = validate_file(path)  # type: ignore[arg-type]
    assert problems == []
    assert checklist is not None


def test_the_six_checklists_are_shipped(shipped: dict[str, Checklist]) -> None:
    assert set(shipped) == SHIPPED
    for cl in shipped.values():
        assert all(item.source.seed for item in cl.items())


def test_hotline_silent_call_protocol_parameters(shipped: dict[str, Checklist]) -> None:
    item = shipped["hotline"].item("silent.protocol")
    assert item is not None and item.measure is not None
    assert item.measure.rule == (
        "silent_call.verdict == pass and (silent_call.closing or silent_call.closing == null)"
    )
    assert item.measure.params == {
        "repetitions": 3,
        "min_silence_s": 1.0,
        "pause_min_s": 4.0,
        "pause_max_s": 10.0,
        "final_wait_min_s": 4.0,
        "greeting_s": 5.0,
    }


def test_house_rule_is_the_same_rule_with_other_parameters(shipped: dict[str, Checklist]) -> None:
    base = shipped["hotline"].item("silent.protocol")
    house = shipped["hotline-house-rule-002"].item("silent.protocol")
    assert base and house and base.measure and house.measure
    assert base.measure.rule == house.measure.rule
    assert house.measure.params["prompts"] == 2
    script = [e.text for e in shipped["hotline-house-rule-002"].data["silent_call_script"]]
    assert script[:2] == ["请问可以听到我的声音吗?"] * 2


def test_hotline_has_the_whole_forbidden_phrase_list(shipped: dict[str, Checklist]) -> None:
    entries = shipped["hotline"].data["forbidden_phrases"]
    texts = [e.text for e in entries]
    for phrase in (
        "不行就是不行,这是规定。",
        "你问我,我问谁?",
        "有意见找领导去,要告就告去!",
        "我不清楚,我不知道,你找XX地方问。",
        "你烦不烦啊!",
        "你看看是不是你那面出了什么问题。",
    ):
        assert phrase in texts
    # seed 001 §6.9: 2 numbered lines under 1, 10 under 2, 10 under 3
    refs = Counter(e.ref.split("(")[0] for e in entries if e.ref and "(" in e.ref)
    assert {r for r in refs} == {"6.9 1", "6.9 2", "6.9 3"}
    assert len({e.ref for e in entries if e.ref and e.ref.startswith("6.9 2(")}) == 10
    assert len({e.ref for e in entries if e.ref and e.ref.startswith("6.9 3(")}) == 10


def test_online_chat_follows_the_seed_000_scorecard(shipped: dict[str, Checklist]) -> None:
    cl = shipped["online-chat"]
    by_section = {s.id: s.items for s in cl.sections}
    assert len(by_section["veto"]) == 6
    assert all(i.severity == "veto" for i in by_section["veto"])
    assert len(by_section["minor"]) == 8
    assert len(by_section["critical"]) == 4
    assert len(by_section["taboo"]) == 2
    timing = cl.item("minor.response_time")
    assert timing and timing.measure
    params = timing.measure.params
    assert (params["first_response_max_s"], params["high_volume_first_response_max_s"]) == (45, 60)
    assert params["high_volume_sessions_per_day"] == 300
    assert params["reply_max_s"] == 180
    assert params["taobao_first_response_max_s"] == 15


def test_venue_kinds_are_covered(shipped: dict[str, Checklist]) -> None:
    kinds = {k for cl in shipped.values() for k in cl.applies_to}
    assert kinds == {
        "hotline",
        "web_chat",
        "chat_api",
        "business_hall",
        "agency_point",
        "info_line",
    }
