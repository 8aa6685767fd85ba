"""Courtesy words (seed 000 §二.6) and forbidden phrases (seed 001 第三篇 §6.9)."""

from __future__ import annotations

from probes.analysis.chat import analyse_chat
from tests.probes.chat.conftest import QUESTION, chat


def test_courtesy_needs_polite_address_and_a_polite_word():
    polite = chat(("customer", 0, QUESTION), ("agent", 5, "亲,请您提供一下手机号,谢谢"))
    assert analyse_chat(polite).courtesy_ok
    curt = chat(("customer", 0, QUESTION), ("agent", 5, "手机号发来"))
    assert not analyse_chat(curt).courtesy_ok


def test_forbidden_phrases_are_listed_once_each_as_written_in_the_rules():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "你问我，我问谁？"),
        ("customer", 10, "那怎么办"),
        ("agent", 15, "这不关我的事。有意见找领导去,要告就告去!"),
        ("agent", 16, "你问我,我问谁"),
    )
    a = analyse_chat(t)
    # The checklist's §6.9 entries, in the seed's wording; the first heard first.
    assert a.forbidden_phrases == [
        "你问我,我问谁?",
        "这不关我的事,这不是我的错,没这回事。",
        "有意见找领导去,要告就告去!",
    ]
    # Where: message 3 holds both halves of the 有意见/要告 entry.
    spans = {(m.segment, m.text) for m in a.matches if m.element == "forbidden_phrases"}
    assert {(1, "你问我，我问谁"), (3, "有意见找领导"), (3, "要告就告")} <= spans


def test_customer_words_are_not_held_against_the_agent():
    t = chat(("customer", 0, "你烦不烦啊"), ("agent", 5, "亲,非常抱歉给您带来不便"))
    assert analyse_chat(t).forbidden_phrases == []
