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
