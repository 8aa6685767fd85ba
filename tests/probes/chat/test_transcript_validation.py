"""Bad transcripts are refused with an error naming the field (issue 5 CLI contract)."""

from __future__ import annotations

import pytest

from probes.analysis.chat_transcript import TranscriptError, parse_transcript
from tests.probes.chat.conftest import raw


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([], "expected a JSON object"),
        ({}, "messages: expected a list"),
        ({"messages": ["hi"]}, "messages[0]: expected an object"),
        (
            {"messages": [{"from": "bot", "at": "2026-01-01T00:00:00Z", "text": "x"}]},
            "messages[0].from",
        ),
        ({"messages": [{"from": "agent", "at": "yesterday", "text": "x"}]}, "messages[0].at"),
        ({"messages": [{"from": "agent", "at": "2026-01-01T00:00:00Z"}]}, "messages[0].text"),
        (
            {"messages": [{"from": "agent", "at": "2026-01-01T00:00:00Z", "text": "x", "x": 1}]},
            "unknown field",
        ),
    ],
)
def test_invalid_transcripts_name_the_field(data, fragment):
    with pytest.raises(TranscriptError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        parse_transcript(data)


def test_times_going_backwards_are_an_error():
    data = raw(("customer", 10, "在吗"), ("agent", 5, "亲,您好"))
    with pytest.raises(TranscriptError, match=r"messages\[1\]\.at: .* earlier than messages\[0\]"):
        parse_transcript(data)


def test_times_without_offset_are_utc_and_z_is_accepted():
    t = parse_transcript(
        {
            "messages": [
                {"from": "customer", "at": "2026-11-23T10:00:00", "text": "在吗"},
                {"from": "agent", "at": "2026-11-23T10:00:05Z", "text": "亲,您好"},
            ]
        }
    )
    assert (t.messages[1].at - t.messages[0].at).total_seconds() == 5


def test_round_trip_keeps_open_and_end_times():
    data = raw(("customer", 1, "在吗"), opened_at=0, ended_at=9)
    t = parse_transcript(data)
    again = parse_transcript(t.to_json())
    assert again.opened_at == t.opened_at and again.ended_at == t.ended_at
    assert again.messages == t.messages
