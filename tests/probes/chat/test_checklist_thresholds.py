"""The first-response limit follows the checklist's parameters: 45 s by default, 60 s above
300 sessions a day (seed 000 §二.2), 15 s under the Taobao rule (seed 001 第三篇 §1.2)."""

from __future__ import annotations

import pytest

from probes.analysis.chat_scoring import find_checklist, score_chat
from tests.probes.chat.conftest import QUESTION, SHORT_HELLO, chat


def response_item(seconds: float, **kw) -> str:
    t = chat(("customer", 0, QUESTION), ("agent", seconds, SHORT_HELLO + ",请问还有什么可以帮您?"))
    out, _ = score_chat(t, find_checklist("online-chat"), **kw)
    return next(i["result"] for i in out["items"] if i["id"] == "minor.response_time")


@pytest.mark.parametrize(
    ("seconds", "kw", "expected"),
    [
        (45, {}, "pass"),
        (45.5, {}, "fail"),
        (55, {"sessions_per_day": 300}, "fail"),
        (55, {"sessions_per_day": 301}, "pass"),
        (61, {"sessions_per_day": 500}, "fail"),
        (15, {"taobao": True}, "pass"),
        (16, {"taobao": True}, "fail"),
    ],
)
def test_first_response_limit(seconds, kw, expected):
    assert response_item(seconds, **kw) == expected


def test_each_reply_within_three_minutes():
    t = chat(
        ("customer", 0, QUESTION),
        ("agent", 10, SHORT_HELLO),
        ("customer", 20, "多少钱?"),
        ("agent", 20 + 181, "亲,感谢您的耐心等待,是58元,请问还有什么可以帮您?"),
    )
    out, _ = score_chat(t, find_checklist("online-chat"))
    item = next(i for i in out["items"] if i["id"] == "minor.response_time")
    assert item["result"] == "fail" and "max_reply_seconds=181.0" in item["reason"]
