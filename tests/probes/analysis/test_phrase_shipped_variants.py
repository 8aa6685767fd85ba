"""The shipped checklists' patterns on classes of language the round-4 misses showed (issue
18): forbidden phrases said otherwise, 好 that is not a greeting, holds that are not waits,
festival greetings misheard. The sentences are written for the classes, not taken from the
judging corpus."""

from __future__ import annotations

import pytest

from probes.analysis.checklist_source import shipped
from probes.analysis.phrases import PhraseBook, Text

HOTLINE = PhraseBook.from_checklist(shipped("hotline"))
CHAT = PhraseBook.from_checklist(shipped("online-chat"))


def heard(book: PhraseBook, text: str, mode: str = "voice") -> set[str]:
    found = book.listed(["forbidden_phrases", "forbidden_openings"], Text.of(text), mode=mode)
    return {str(e.label) for e, _ in found}


# --- festival greetings misheard (voice) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "festival", "found"),
    [
        ("中秋节快落,请问有什么可以帮您", "festival.mid_autumn", True),
        ("新年快落", "festival.new_year", True),
        ("中秋节快到了", "festival.mid_autumn", False),
        ("五一快到了", "festival.labour_day", False),
    ],
)
def test_festival_greeting_heard_with_one_final_wrong(
    text: str, festival: str, found: bool
) -> None:
    assert bool(HOTLINE.find(festival, Text.of(text), mode="voice")) is found


# --- shipped patterns: classes the round-4 misses showed -----------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("那个单子又不是我经办的", "这不是我办理的。"),
        ("这跟我们没有关系", "这不关我的事,这不是我的错,没这回事。"),
        ("商品详情里没写吗", "宝贝页面没介绍吗?"),
        ("用不起就别买了", "用不起就别用!"),
        ("公司就这样规定的", "我们公司就是这么规定的。"),
        ("您打客服热线去查吧,我这查不到", "我查不到,你拨XX电话去查。"),
    ],
)
def test_forbidden_phrases_said_otherwise(text: str, label: str) -> None:
    assert label in heard(HOTLINE, text)
    assert label in heard(CHAT, text, "chat")


def test_forbidden_opening_said_otherwise() -> None:
    assert "喂,有什么事,说吧!" in heard(HOTLINE, "有啥事你就说吧")


@pytest.mark.parametrize("text", ["您好像输错号码了", "你好久没来了", "您好好想想"])
def test_hao_that_is_not_a_salutation(text: str) -> None:
    assert not HOTLINE.found("salutation", Text.of(text), mode="voice")
    assert not CHAT.found("salutation", Text.of(text))
    assert not CHAT.found("courtesy.word", Text.of(text))


@pytest.mark.parametrize(
    ("text", "hold"),
    [
        ("请稍后,我帮您查询", True),
        ("请稍后重新登录试试", False),
        ("我帮您核实一下", True),
        ("昨天已经帮您确认过了", False),
    ],
)
def test_hold_is_a_wait_not_a_deferral_or_a_done_check(text: str, hold: bool) -> None:
    assert CHAT.found("hold", Text.of(text)) is hold


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("您那边听得清楚吗", True),
        ("能听见我说话吗", True),
        ("我能听到您那边有声音", False),
    ],
)
def test_silent_call_prompt_asks_whether_the_caller_hears(text: str, prompt: bool) -> None:
    assert HOTLINE.found("silent_call.prompt", Text.of(text), mode="voice") is prompt
