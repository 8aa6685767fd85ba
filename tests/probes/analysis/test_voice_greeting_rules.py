"""Greeting rules beyond the worked examples: time of day, holidays, late answer, wording."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from probes.analysis.greeting import GreetingError, score_greeting
from probes.analysis.phrases import flat

CO = "长城宽带"
PLAIN = "您好,长城宽带,请问有什么可以帮您?"
MORNING = "早上好!长城宽带,请问有什么可以帮您?"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("when", "required"),
    [
        ("2026-06-02T00:00:00+08:00", True),
        ("2026-06-02T11:59:59+08:00", True),
        ("2026-06-02T12:00:00+08:00", False),
        ("2026-06-02T23:59:00+08:00", False),
    ],
)
def test_morning_window_is_midnight_to_noon(when: str, required: bool) -> None:
    result = score_greeting(PLAIN, at(when), company=CO)
    assert result.time_of_day is (False if required else None)
    morning = score_greeting(MORNING, at(when), company=CO)
    # Both ways: required before noon, wrong after it.
    assert morning.verdict == ("pass" if required else "fail")
    assert morning.reasons == (() if required else ("wrong_time_of_day",))


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        ("早上好!长城宽带,请问有什么可以帮您?", "2026-06-02T16:05+08:00", False),
        ("晚上好,长城宽带,请问有什么可以帮您?", "2026-06-02T09:30+08:00", False),
        ("晚上好,长城宽带,请问有什么可以帮您?", "2026-06-02T20:30+08:00", True),
        ("下午好,长城宽带,请问有什么可以帮您?", "2026-06-02T15:00+08:00", True),
        ("下午好,长城宽带,请问有什么可以帮您?", "2026-06-02T21:00+08:00", False),
        ("早上好!长城宽带,请问有什么可以帮您?", "2026-06-02T07:59+08:00", True),
    ],
)
def test_time_of_day_both_ways(text: str, when: str, expected: bool) -> None:
    result = score_greeting(text, at(when), company=CO)
    assert result.time_of_day is expected
    assert (result.verdict == "pass") is expected


def test_morning_greeting_must_start_the_greeting() -> None:
    result = score_greeting(
        "您好,早上好,长城宽带,请问有什么可以帮您?", at("2026-06-02T09:00+08:00")
    )
    assert result.time_of_day is False


def test_times_are_judged_in_shanghai_time() -> None:
    # 02:00 UTC is 10:00 in Shanghai: morning there.
    utc = datetime(2026, 6, 2, 2, 0, tzinfo=UTC)
    assert score_greeting(PLAIN, utc, company=CO).time_of_day is False
    # A naive time is taken as Shanghai time; another zone can be chosen.
    assert score_greeting(PLAIN, datetime(2026, 6, 2, 14, 0)).time_of_day is None
    assert score_greeting(PLAIN, utc, timezone="America/New_York").time_of_day is None
    with pytest.raises(GreetingError, match="timezone: unknown zone"):
        score_greeting(PLAIN, utc, timezone="Mars/Base")


@pytest.mark.parametrize(
    ("when", "greeting"),
    [
        ("2026-01-01T15:00+08:00", "新年好"),  # New Year's Day
        ("2026-02-17T10:00+08:00", "新年好"),  # Spring Festival (lunar, from the calendar)
        ("2026-05-01T15:00+08:00", "劳动节快乐"),
        ("2026-09-25T09:00+08:00", "中秋节快乐"),  # Mid-Autumn 2026 (lunar)
        ("2026-10-01T09:00+08:00", "国庆节快乐"),
        ("2026-10-04T09:00+08:00", "国庆节快乐"),  # a Sunday inside the National Day break
        ("2026-02-20T09:00+08:00", "新年好"),  # substituted day off in the Spring break
    ],
)
def test_holiday_greeting_required_and_replaces_time_of_day(when: str, greeting: str) -> None:
    good = score_greeting(f"{greeting}!长城宽带客服中心,请问有什么可以帮您!", at(when), company=CO)
    assert (good.holiday, good.time_of_day, good.salutation, good.verdict) == (
        True,
        None,
        True,
        "pass",
    )
    bad = score_greeting(MORNING, at(when), company=CO)
    assert (bad.holiday, bad.verdict, bad.reasons) == (False, "fail", ("missing_holiday",))


def test_wrong_festival_greeting_does_not_count() -> None:
    result = score_greeting("国庆节快乐!长城宽带,请问有什么可以帮您?", at("2026-09-25T15:00+08:00"))
    assert result.holiday is False


def test_working_makeup_day_is_not_a_holiday() -> None:
    # 2026-02-14 is a Saturday worked in exchange for a Spring Festival day off.
    assert score_greeting(PLAIN, at("2026-02-14T15:00+08:00")).holiday is None


def test_holiday_overrides_are_data() -> None:
    when = at("2026-06-02T15:00+08:00")
    overrides = {date(2026, 6, 2): "national_day", date(2026, 10, 1): None}
    moved = score_greeting(PLAIN, when, holiday_overrides=overrides)
    assert moved.holiday is False
    cancelled = score_greeting(PLAIN, at("2026-10-01T15:00+08:00"), holiday_overrides=overrides)
    assert cancelled.holiday is None and cancelled.verdict == "pass"


@pytest.mark.parametrize(
    ("answered_after", "required"),
    [(None, False), (0.0, False), (15.0, False), (15.5, True), (40.0, True)],
)
def test_apology_after_three_rings(answered_after: float | None, required: bool) -> None:
    result = score_greeting(PLAIN, at("2026-06-02T15:00+08:00"), answered_after_s=answered_after)
    assert result.apology_for_wait is (False if required else None)


@pytest.mark.parametrize(
    "apology",
    [
        "非常抱歉,让您久等了",
        "感谢您的耐心等候",
        "对不起,刚才线路忙",
        "不好意思,让您久等",
        "抱歉让您等了这么久",
        "十分抱歉,今天来电的客户比较多",
    ],
)
def test_apology_wordings(apology: str) -> None:
    text = f"您好,长城宽带,{apology},请问有什么可以帮您?"
    result = score_greeting(text, at("2026-06-02T15:00+08:00"), answered_after_s=30)
    assert result.apology_for_wait is True


@pytest.mark.parametrize("other", ["抱歉,我没听清楚", "非常抱歉,您的电话没有声音", "感谢您的来电"])
def test_an_apology_for_something_else_is_not_one_for_the_wait(other: str) -> None:
    # Seed 001 §6.6.1: the apology is for the wait ("今天咨询的客户比较多 … 耐心等候").
    result = score_greeting(f"您好,{other}", at("2026-06-02T15:00+08:00"), answered_after_s=30)
    assert result.apology_for_wait is False


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("您好,请问有什么可以帮您!", True),
        ("您好,请问有什么可以帮到您?", True),
        ("您好,有什么能帮您的吗?", True),
        ("您好,请问有什么可以为您服务?", True),
        ("您好,请问您需要什么帮助?", True),
        ("你好,很高兴为您服务", True),
        ("您好,长城宽带。", False),
        ("喂,有什么事,说吧!", False),
    ],
)
def test_offer_of_help_variants(text: str, offer: bool) -> None:
    assert score_greeting(text, at("2026-06-02T15:00+08:00")).offer_of_help is offer


@pytest.mark.parametrize(
    ("text", "salutation"),
    [
        ("你好,请问有什么可以帮您", True),
        ("下午好,请问有什么可以帮您", True),
        ("请问有什么可以帮您", False),
    ],
)
def test_salutations(text: str, salutation: bool) -> None:
    assert score_greeting(text, at("2026-06-02T15:00+08:00")).salutation is salutation


def test_company_only_judged_when_configured() -> None:
    when = at("2026-06-02T15:00+08:00")
    assert score_greeting(PLAIN, when).company is None
    assert score_greeting(PLAIN, when, company="中国移动").company is False
    assert score_greeting(
        "您好,China Mobile,请问有什么可以帮您", when, company="china mobile"
    ).company


def test_forbidden_phrases_from_the_checklist_list_ignore_punctuation() -> None:
    when = at("2026-06-02T15:00+08:00")
    text = "您好,长城宽带,请问有什么可以帮您?你问我 我问谁!"
    result = score_greeting(text, when, company=CO)
    # Reported in the checklist's seed wording (§6.9 2(3)), with where it was heard.
    assert result.forbidden_phrases == ("你问我,我问谁?",)
    assert (result.verdict, result.reasons) == ("fail", ("forbidden_phrase",))
    hit = next(m for m in result.matches if m.element == "forbidden_phrases")
    assert text[hit.start : hit.end] == "你问我 我问谁"
    # Extra literal phrases add to the checklist's list.
    extra = score_greeting("您好,请问有什么可以帮您?随便你", when, extra_forbidden=["随便你"])
    assert extra.forbidden_phrases == ("随便你",)


def test_default_list_has_the_forbidden_openings() -> None:
    result = score_greeting("喂,说话呀!再不说话我就挂机了啊!", at("2026-06-02T15:00+08:00"))
    assert "喂,说话呀!再不说话我就挂机了啊!" in result.forbidden_phrases


def test_the_full_section_6_9_list_is_used_by_default() -> None:
    result = score_greeting("你问我我问谁啊", at("2026-06-02T15:00+08:00"))
    assert result.forbidden_phrases == ("你问我,我问谁?",)


def test_negative_wait_is_refused() -> None:
    with pytest.raises(GreetingError, match="answered_after"):
        score_greeting(PLAIN, at("2026-06-02T15:00+08:00"), answered_after_s=-1)


def test_normalise_drops_punctuation_and_width() -> None:
    assert flat("您好，ＡＢＣ！ 请问?") == "您好abc请问"


def test_measures_names() -> None:
    result = score_greeting(PLAIN, at("2026-06-02T15:00+08:00"), company=CO)
    assert result.measures() == {
        "greeting": {
            "salutation": True,
            "company": True,
            "offer_of_help": True,
            "time_of_day": None,
            "holiday": None,
            "apology_for_wait": None,
            "verdict": "pass",
            "forbidden_phrases": [],
        }
    }


def test_short_forbidden_phrase_counts_only_as_a_whole_clause() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    at = datetime(2026, 3, 3, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    ok = score_greeting("您好,请问有什么可以帮您?", at)
    assert ok.forbidden_phrases == () and ok.verdict == "pass"
    bad = score_greeting("什么?您好,请问有什么可以帮您?", at)
    assert bad.forbidden_phrases == ("什么?",) and bad.verdict == "fail"
