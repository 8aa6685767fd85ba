"""Every agent reply's delay after the customer's message (seed 000 §二.2: each ≤ 3 min)."""

from __future__ import annotations

from probes.analysis.chat import analyse_chat
from tests.probes.chat.conftest import QUESTION, SHORT_HELLO, chat


def test_longest_reply_counts_from_the_first_unanswered_customer_message():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 10, SHORT_HELLO),
        ("customer", 20, "是套餐外流量吗?"),
        ("customer", 40, "还在吗?"),
        ("agent", 220, "亲,是的,是套餐外流量费"),
    )
    a = analyse_chat(t)
    assert [d.seconds for d in a.reply_delays] == [10, 200]
    assert a.max_reply_seconds == 200


def test_a_message_left_unanswered_counts_until_the_end_of_watching():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, SHORT_HELLO),
        ("customer", 10, "在吗?"),
        ended_at=250,
    )
    a = analyse_chat(t)
    assert a.unanswered_wait_seconds == 240
    assert a.max_reply_seconds == 240


def test_customer_silent_and_agent_greeting_gives_no_reply_delay():
    t = chat(("agent", 3, "您好,欢迎光临,请问有什么能帮您?"), opened_at=0)
    assert analyse_chat(t).max_reply_seconds is None
