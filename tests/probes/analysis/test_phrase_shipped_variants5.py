"""The shipped checklists' patterns on classes of language the round-5 misses showed (issue
18): customer presence questions, questions welcome as an offer of help, taking leave, holds
said as 看看, told-not-to-reply variants, closing-time excuses, the queue as the reason for a
wait. The sentences are written for the classes, not taken from the judging corpus."""

from __future__ import annotations

import pytest

from probes.analysis.chat import analyse_chat, opened_with_question
from probes.analysis.checklist_source import shipped
from probes.analysis.phrases import PhraseBook, Text
from tests.probes.chat.conftest import QUESTION, chat

HOTLINE = PhraseBook.from_checklist(shipped("hotline"))
CHAT = PhraseBook.from_checklist(shipped("online-chat"))


def has(book: PhraseBook, element: str, text: str, mode: str = "chat") -> bool:
    return bool(book.find(element, Text.of(text), mode=mode))


def forbidden(text: str) -> set[str]:
    found = HOTLINE.listed(["forbidden_phrases", "forbidden_openings"], Text.of(text))
    return {str(e.label) for e, _ in found}


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("亲在嘛", False),
        ("有客服没有", False),
        ("有人工在线吗", False),
        ("有人没收到退款吗", True),  # a question, not "anyone there?"
    ],
)
def test_customer_presence_questions_are_no_question(text: str, asked: bool) -> None:
    assert opened_with_question(text) is asked


@pytest.mark.parametrize(
    ("element", "text", "found"),
    [
        ("offer_of_help", "您有啥问题都能问我们", True),
        ("offer_of_help", "有什么问题我也不知道", False),
        ("closing", "好的,那不打扰你了", True),
        ("closing", "以后有其他疑问可以随时找我", True),
        ("closing", "有任何问题也可以回复我", True),
        ("hold", "稍等,我先看看您的订单", True),
        ("hold", "您把截图发给我看看", False),  # the customer is to show something
    ],
)
def test_chat_elements_said_otherwise(element: str, text: str, found: bool) -> None:
    assert has(CHAT, element, text) is found


@pytest.mark.parametrize("text", ["这个不用回了哦", "以上信息不必回复", "别回啦,我这边结束了"])
def test_told_not_to_reply_in_other_words(text: str) -> None:
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,是流量费"),
        ("customer", 9, "哦"),
        ("agent", 12, text),
    )
    assert analyse_chat(t).taboos == ["told_not_to_reply"]


def test_coming_home_is_not_told_not_to_reply() -> None:
    t = chat(("customer", 0, QUESTION), ("agent", 5, "亲,是流量费,您不用回来营业厅办理"))
    assert analyse_chat(t).taboos == []


@pytest.mark.parametrize(
    "text", ["现在已经过了营业时间,您明天再来", "呀太晚啦,明天再来吧", "亲,今天不受理了,明天再来"]
)
def test_closing_time_excuse_then_tomorrow_is_sent_away(text: str) -> None:
    t = chat(("customer", 0, QUESTION), ("agent", 5, text))
    assert analyse_chat(t).taboos == ["sent_away_until_tomorrow"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("您好,不好意思刚才排队的客户太多", True),
        ("抱歉您久候了,请问有什么可以帮您", True),
        ("抱歉,营业厅排队要预约", True),  # 排队 said with an apology reads as the wait
        ("您好,请问有什么可以帮您", False),
    ],
)
def test_voice_apology_for_the_queue(text: str, found: bool) -> None:
    assert has(HOTLINE, "apology_for_wait", text, mode="voice") is found


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("你到底讲的是什么", None),
        ("你究竟在讲啥", "你到底在说什么?"),
        ("有啥事快点说", "喂,有什么事快说!不说我挂线啦"),
        ("问我啊?我又问谁", "你问我,我问谁?"),
    ],
)
def test_forbidden_phrases_with_synonyms_and_dropped_subjects(text: str, label: str | None) -> None:
    assert forbidden(text) == ({label} if label else set())
