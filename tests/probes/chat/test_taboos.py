"""Taboos (seed 000 §四): telling the customer not to reply; sending them away until tomorrow."""

from __future__ import annotations

import pytest

from probes.analysis.chat import analyse_chat
from tests.probes.chat.conftest import QUESTION, chat


@pytest.mark.parametrize(
    "text", ["亲,不要去回复了", "我们公司有规定,不让顾客最后一个回复", "好的,您别再回复了"]
)
def test_telling_the_customer_not_to_reply(text):
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,是流量费"),
        ("customer", 9, "哦"),
        ("agent", 12, text),
    )
    assert analyse_chat(t).taboos == ["told_not_to_reply"]


def test_sent_away_until_tomorrow_without_an_answer():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,您好"),
        ("agent", 6, "我要下班了,明天过来咨询吧"),
    )
    assert analyse_chat(t).taboos == ["sent_away_until_tomorrow"]


def test_answering_first_then_saying_goodnight_is_fine():
    # Seed 000 §四.2: answer every question, then mention closing time and invite a message.
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,多扣的20元是国际漫游费,已为您申请退还。"),
        ("agent", 8, "我们要下班了,您还有疑问可以留言,明天上班第一时间回复您。"),
    )
    assert analyse_chat(t).taboos == []


def test_a_polite_chat_has_no_taboos():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,是流量费"),
        ("agent", 6, "请问还有什么可以帮您?"),
    )
    assert analyse_chat(t).taboos == []


@pytest.mark.parametrize(
    "text",
    [
        "亲,您好,我们这边快下班了,明天再来问吧",  # greeting and closing-time excuse first
        "您好,现在已经很晚了,客服都下班了,明天下午再来咨询",
    ],
)
def test_sent_away_after_a_greeting_in_the_same_message(text):
    t = chat(("customer", 0, QUESTION), ("agent", 5, text))
    assert analyse_chat(t).taboos == ["sent_away_until_tomorrow"]


def test_someone_else_off_duty_with_tomorrows_news_is_not_sending_away():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 5, "亲,您好,师傅今天已经下班了,明天会上门安装"),
    )
    assert analyse_chat(t).taboos == []
