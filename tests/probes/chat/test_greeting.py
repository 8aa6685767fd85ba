"""Opening greeting (seed 000 §二.3)."""

from __future__ import annotations

import pytest

from probes.analysis.chat import analyse_chat
from tests.probes.chat.conftest import QUESTION, SHORT_HELLO, WELCOME, chat


@pytest.mark.parametrize("opener", ["在吗?", "你好", "亲,在吗", "hi"])
def test_customer_without_a_question_gets_the_full_welcome(opener):
    ok = analyse_chat(chat(("customer", 0, opener), ("agent", 5, WELCOME)))
    assert ok.greeting_ok and ok.customer_opened_with_question is False
    bare = analyse_chat(chat(("customer", 0, opener), ("agent", 5, SHORT_HELLO)))
    assert not bare.greeting_ok


def test_welcome_split_over_two_bubbles_counts():
    t = chat(
        ("customer", 0, "在吗"), ("agent", 5, "您好,欢迎光临"), ("agent", 6, "请问有什么能帮您?")
    )
    assert analyse_chat(t).greeting_ok


def test_silent_customer_needs_the_full_welcome():
    assert analyse_chat(chat(("agent", 5, WELCOME), opened_at=0)).greeting_ok
    assert not analyse_chat(chat(("agent", 5, "什么事"), opened_at=0)).greeting_ok


def test_customer_who_asked_gets_a_short_hello_or_a_direct_answer():
    assert analyse_chat(chat(("customer", 0, QUESTION), ("agent", 5, SHORT_HELLO))).greeting_ok
    direct = chat(("customer", 0, QUESTION), ("agent", 5, "亲,多扣的20元是国际漫游费。"))
    assert analyse_chat(direct).greeting_ok


def test_full_welcome_after_a_stated_question_is_not_ok():
    # Seed 000: "如果还用欢迎语,有些客户会反感".
    t = chat(("customer", 0, QUESTION), ("agent", 5, WELCOME))
    a = analyse_chat(t)
    assert a.customer_opened_with_question is True
    assert not a.greeting_ok


def test_traditional_characters_are_recognised():
    t = chat(
        ("customer", 0, "在嗎"), ("agent", 5, "您好,歡迎光臨,很高興為您服務,請問有什麼能幫您?")
    )
    assert analyse_chat(t).greeting_ok


def test_no_agent_message_is_not_a_greeting():
    assert not analyse_chat(chat(("customer", 0, "在吗"))).greeting_ok
