"""Run measures are a function of the *set* of events: any order, any repeats, same result;
short forbidden phrases count only when said on their own."""

from __future__ import annotations

import itertools
import json
import random
from datetime import UTC, datetime, timedelta

from probes.analysis.greeting import forbidden_heard
from probes.channels.voice.measures import call_state, run_measures

T0 = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


def _status(name: str, at_s: int, **extra: str) -> dict[str, object]:
    return {"kind": "status", "name": name, "at": T0 + timedelta(seconds=at_s), "params": extra}


def _said(text: str, at_s: int, seq: int) -> dict[str, object]:
    data = json.dumps({"transcript": text, "confidence": 0.9}, ensure_ascii=False)
    return {
        "kind": "transcription", "name": "transcription-content",
        "at": T0 + timedelta(seconds=at_s),
        "params": {"TranscriptionData": data, "Final": "true", "SequenceId": str(seq)},
    }  # fmt: skip


EVENTS = [
    _status("initiated", 0),
    _status("ringing", 1),
    _status("in-progress", 21),
    _said("非常抱歉,让您久等了,示例电信,请问有什么可以帮您?", 27, 2),
    _said("您好!请问有什么可以帮您?", 35, 3),
    _status("completed", 52, CallDuration="31"),
]
OBS = {
    "silent_call": {
        "utterances": [{"start_s": 0.5, "end_s": 6.0}, {"start_s": 11.0, "end_s": 14.0},
                       {"start_s": 19.0, "end_s": 25.0}],
        "duration_s": 31.0,
    }
}  # fmt: skip
PARAMS = {"ring_seconds": 5.0, "company": "示例电信"}


def test_order_and_repeats_do_not_matter() -> None:
    expected = run_measures(EVENTS, OBS, PARAMS)
    assert (expected["answer_seconds"], expected["rings"]) == (20.0, 4)
    assert expected["greeting"]["apology_for_wait"] is True
    assert expected["silent_call"]["verdict"] == "pass"
    rng = random.Random(4)
    for _ in range(20):
        shuffled = EVENTS + rng.sample(EVENTS, 3)
        rng.shuffle(shuffled)
        assert run_measures(shuffled, OBS, PARAMS) == expected
    for order in itertools.permutations(EVENTS[:3] + EVENTS[5:]):
        assert call_state(list(order)) == "ended"


def test_completed_alone_still_knows_the_answer_time_roughly() -> None:
    only_end = [_status("initiated", 0), _status("completed", 52, CallDuration="31")]
    m = run_measures(only_end, {}, PARAMS)
    assert m["outcome"] == "answered" and m["answer_seconds"] == 21.0


def test_short_forbidden_phrases_need_to_stand_alone() -> None:
    def heard(line: str) -> list[str]:
        return forbidden_heard([line])[0]  # the shipped hotline checklist's lists

    assert heard("请问有什么可以帮您?") == []
    assert heard("喂?什么?") == ["喂", "什么?"]
    assert heard("你烦不烦啊,快说") == ["你烦不烦啊!"]
