"""The analysers as API endpoints, for calls recorded by hand (mystery shoppers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from probing_support import Live

from probes.audio import synth


def _wav() -> bytes:
    import io
    import wave

    import numpy as np

    samples, _truth = synth.silent_call([5.0, 5.0], final_wait_s=5.0)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.stack([np.zeros_like(samples), samples], axis=1).astype("<i2").tobytes())
    return buf.getvalue()


async def test_silent_call_upload(live: Live, hotline: dict[str, Any]) -> None:
    files = {"file": ("call.wav", _wav(), "audio/wav")}
    r = await live.http.post(
        "/probe-analysis/silent-call", files=files, headers=live.headers("analyst")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "pass" and len(body["utterances"]) == 3
    assert all(abs(p - 5.0) <= 0.25 for p in body["pauses_s"])

    r = await live.http.post(
        "/probe-analysis/silent-call",
        files=files,
        data={"repetitions": "4"},
        headers=live.headers("analyst"),
    )
    assert r.json()["reasons"] == ["too_few_repetitions"]


async def test_unreadable_upload_names_the_field(live: Live, hotline: dict[str, Any]) -> None:
    files = {"file": ("call.wav", b"RIFF\x00\x00\x00\x00WAVEjunk", "audio/wav")}
    r = await live.http.post(
        "/probe-analysis/silent-call", files=files, headers=live.headers("analyst")
    )
    assert r.status_code == 400 and r.json()["field"] == "file", r.text


async def test_greeting_transcript(live: Live, hotline: dict[str, Any]) -> None:
    at = dt.datetime(2026, 10, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 on National Day in Beijing
    r = await live.http.post(
        "/probe-analysis/greeting",
        json={"text": "您好,示例电信客服中心,请问有什么可以帮您?", "at": at.isoformat(),
              "company": "示例电信"},
        headers=live.headers("inspector1"),
    )  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["elements"]["holiday"] is False and body["elements"]["time_of_day"] is None
    assert body["verdict"] == "fail"
    r = await live.http.post(
        "/probe-analysis/greeting", json={"text": "x", "at": "yesterday"},
        headers=live.headers("inspector1"),
    )  # fmt: skip
    assert r.status_code == 400


async def test_greeting_uses_the_hotline_checklist_and_shows_its_matches(
    live: Live, hotline: dict[str, Any]
) -> None:
    at = dt.datetime(2026, 6, 2, 7, 0, tzinfo=dt.UTC)  # 15:00 in Beijing
    text = "您好,中國移動,請問有什麼可以幫您?你問我我問誰啊"
    r = await live.http.post(
        "/probe-analysis/greeting",
        json={"text": text, "at": at.isoformat(), "company": "中国移动"},
        headers=live.headers("inspector1"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    # Traditional characters fold; the §6.9 list is the checklist's, in its seed wording.
    assert body["elements"]["company"] is True and body["elements"]["offer_of_help"] is True
    assert body["forbidden_phrases"] == ["你问我,我问谁?"]
    spans = {m["element"]: text[m["start"] : m["end"]] for m in body["matches"]}
    assert spans["company"] == "中國移動" and spans["forbidden_phrases"] == "你問我我問誰"


async def test_silent_call_upload_skips_an_ivr_and_knows_our_own_hang_up(
    live: Live, hotline: dict[str, Any]
) -> None:
    files = {"file": ("call.wav", _wav(), "audio/wav")}
    # Starting after the first greeting (1.0–9.1 s) leaves two: too few.
    r = await live.http.post(
        "/probe-analysis/silent-call", files=files, data={"start_s": "12.0"},
        headers=live.headers("analyst"),
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["reasons"] == ["too_few_repetitions"]
    assert all(u["start_s"] >= 12.0 for u in r.json()["utterances"])
    # Asking for four greetings of a recording that lasted as long as we listened: we cannot
    # know whether the fourth would have come.
    data = {"repetitions": "4", "listen_s": "35.5"}  # the recording lasts 35.55 s
    r = await live.http.post(
        "/probe-analysis/silent-call", files=files, data=data, headers=live.headers("analyst")
    )
    assert (r.json()["verdict"], r.json()["reasons"]) == ("inconclusive", ["listening_too_short"])
    # Without listen_s the recording's end is the agent's hang-up: a failure.
    r = await live.http.post(
        "/probe-analysis/silent-call", files=files, data={"repetitions": "4"},
        headers=live.headers("analyst"),
    )  # fmt: skip
    assert r.json()["verdict"] == "fail"
