"""First response time (seed 000 §二.2: ≤ 45 s, ≤ 60 s above 300 sessions a day)."""

from __future__ import annotations

from probes.analysis.chat import analyse_chat
from tests.probes.chat.conftest import QUESTION, SHORT_HELLO, WELCOME, chat


def test_measured_from_the_customers_first_message():
    t = chat(("customer", 0, "在吗"), ("customer", 5, QUESTION), ("agent", 30, WELCOME))
    assert analyse_chat(t).first_response_seconds == 30


def test_silent_customer_is_measured_from_chat_open():
    t = chat(("agent", 12.5, WELCOME), opened_at=0)
    assert analyse_chat(t).first_response_seconds == 12.5


def test_no_agent_message_gives_null():
    t = chat(("customer", 0, QUESTION), ended_at=300)
    m = analyse_chat(t).measures()
    assert m["first_response_seconds"] is None
    assert m["last_message_from"] == "customer"


def test_fractional_seconds_are_kept():
    t = chat(("customer", 0, QUESTION), ("agent", 45.25, SHORT_HELLO))
    assert analyse_chat(t).measures()["first_response_seconds"] == 45.25
