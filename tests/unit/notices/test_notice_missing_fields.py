"""A draft names what is missing before it can be issued."""

from __future__ import annotations

from audit.notices.models import NoticeType, check_content, missing_fields


def test_empty_rectification_lists_required_fields() -> None:
    missing = missing_fields(NoticeType.rectification, {})
    assert set(missing) == {"inspection_ref", "inspected_on", "findings", "deadline"}


def test_nested_and_blank_fields_are_missing() -> None:
    data = {
        "inspection_ref": "INS-1",
        "inspected_on": "2026年11月2日",
        "deadline": "2026-12-01",
        "findings": [
            {
                "item": "接通",
                "severity": "critical",
                "measured": "38 秒",
                "rule": "第四条",
                "rectification": "   ",
            },
        ],
    }
    assert missing_fields(NoticeType.rectification, data) == ["findings[0].rectification"]


def test_empty_list_counts_as_missing() -> None:
    data = {
        "trigger_ref": "T1",
        "region": "深圳市",
        "issue": "宽带",
        "complaints": [],
        "deadline": "2026-12-01",
    }
    assert missing_fields(NoticeType.self_inspection, data) == ["complaints"]


def test_wrong_value_is_invalid_not_missing() -> None:
    data = {
        "trigger_ref": "T1",
        "region": "深圳市",
        "issue": "宽带",
        "complaints": [{"id": "C1", "date": "2026-10-01"}],
        "deadline": "next week",
    }
    check = check_content(NoticeType.self_inspection, data)
    assert not check.ok
    assert check.missing == []
    assert len(check.invalid) == 1 and check.invalid[0].startswith("deadline:")


def test_complete_content_validates() -> None:
    data = {
        "period": "2026年第三季度",
        "scope": "全省",
        "rows": [{"operator": "甲", "probes": 10, "answered": 9, "compliant": 8, "score": 90}],
    }
    check = check_content(NoticeType.public_notice, data)
    assert check.ok and check.missing == [] and check.invalid == []
