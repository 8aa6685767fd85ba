"""Closing (seed 000 §二.4) and who sent the last message (seed 000 §四.1: the agent should)."""

from __future__ import annotations

from probes.analysis.chat import analyse_chat
from tests.probes.chat.conftest import QUESTION, chat


def test_closing_after_the_customers_last_reply():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,是流量费"),
        ("customer", 9, "好的谢谢"),
        ("agent", 12, "感谢您的咨询,祝您生活愉快,再见!"),
    )
    a = analyse_chat(t)
    assert a.closing_ok and a.last_message_from == "agent"


def test_unanswered_second_enquiry_needs_no_further_closing():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,是流量费"),
        ("agent", 120, "请问还有什么可以帮您?"),
    )
    assert analyse_chat(t).closing_ok


def test_customer_having_the_last_word_means_no_closing():
    t = chat(
        ("customer", 0, QUESTION), ("agent", 5, "亲,是流量费,再见"), ("customer", 9, "好的谢谢")
    )
    a = analyse_chat(t)
    assert not a.closing_ok and a.last_message_from == "customer"


def test_answer_without_a_closing_phrase():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,是流量费"),
        ("customer", 9, "好的"),
        ("agent", 10, "嗯"),
    )
    assert not analyse_chat(t).closing_ok
