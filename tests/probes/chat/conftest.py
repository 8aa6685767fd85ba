"""Helpers: transcripts built from seed 000's example phrases at chosen second offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from probes.analysis.chat_transcript import Transcript, parse_transcript
from probes.chat_demo import DemoChatSite

T0 = datetime(2026, 11, 23, 2, 0, 0, tzinfo=UTC)

# Phrases quoted in seed 000 (converted to simplified characters as operators write them).
WELCOME = "您好,欢迎光临,我是客服小王,很高兴为您服务,请问有什么能帮您?"
SHORT_HELLO = "亲,您好"
HOLD = "需您稍等,为您查询一下"
THANKS_FOR_WAITING = "感谢您的耐心等待"
SORRY_FOR_WAIT = "抱歉,让您久等了"
QUESTION = "我上个月的话费为什么多扣了20元?"


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat()


def raw(*turns: tuple[str, float, str], **extra: Any) -> dict[str, Any]:
    """``raw(("customer", 0, "在吗"), ("agent", 20, WELCOME))`` → transcript JSON."""
    data: dict[str, Any] = {
        "messages": [{"from": who, "at": at(s), "text": text} for who, s, text in turns]
    }
    for key, seconds in extra.items():
        data[key] = at(seconds)
    return data


def chat(*turns: tuple[str, float, str], **extra: Any) -> Transcript:
    return parse_transcript(raw(*turns, **extra))


@pytest.fixture
def demo_site():
    with DemoChatSite(webhook_secret="test-secret") as site:
        yield site
