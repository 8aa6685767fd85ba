"""Waits over two minutes need at least one apology (seed 000 §二.5)."""

from __future__ import annotations

import pytest

from probes.analysis.chat import analyse_chat
from probes.analysis.chat_phrases import ChatRules
from tests.probes.chat.conftest import (
    HOLD,
    QUESTION,
    SHORT_HELLO,
    SORRY_FOR_WAIT,
    THANKS_FOR_WAITING,
    chat,
)


@pytest.mark.parametrize("apology", [THANKS_FOR_WAITING, SORRY_FOR_WAIT, "抱歉，讓您久等了！"])
def test_hold_then_answer_after_two_minutes_with_apology(apology):
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 10, HOLD),
        ("agent", 10 + 150, apology + ",多扣的是流量费。"),
    )
    a = analyse_chat(t)
    assert len(a.long_waits) == 1 and a.long_waits[0].apologised
    assert a.unapologised_long_waits == 0


def test_hold_then_answer_after_two_minutes_without_apology():
    t = chat(("customer", 0, QUESTION), ("agent", 10, HOLD), ("agent", 140, "多扣的是流量费。"))
    a = analyse_chat(t)
    assert a.unapologised_long_waits == 1
    assert a.long_waits[0].seconds == 130


def test_apology_in_the_next_bubble_of_the_same_burst_counts():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 130, "多扣的是流量费。"),
        ("agent", 131, SORRY_FOR_WAIT),
    )
    assert analyse_chat(t).unapologised_long_waits == 0


def test_a_wait_of_exactly_two_minutes_is_not_long():
    t = chat(("customer", 0, QUESTION), ("agent", 5, HOLD), ("agent", 125, "多扣的是流量费。"))
    assert analyse_chat(t).unapologised_long_waits == 0


def test_agent_following_up_on_its_own_question_is_not_a_customer_wait():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, SHORT_HELLO + ",请问您的手机号是?"),
        ("agent", 400, "亲,还在吗?"),
    )
    assert analyse_chat(t).unapologised_long_waits == 0


def test_let_me_check_without_a_follow_up_is_an_unapologised_wait():
    t = chat(("customer", 0, QUESTION), ("agent", 5, HOLD), ended_at=300)
    assert analyse_chat(t).unapologised_long_waits == 1


def test_threshold_is_a_parameter():
    t = chat(("customer", 0, QUESTION), ("agent", 5, HOLD), ("agent", 70, "多扣的是流量费。"))
    assert analyse_chat(t, ChatRules(long_wait_s=60)).unapologised_long_waits == 1
    assert analyse_chat(t).unapologised_long_waits == 0
