"""POST /probe-runs/recordings: a hand-made recording becomes a stored, judged probe run with
the file as evidence, attached to an inspection's items when one is named; bad input is a
400 naming the field, and nothing is stored."""

from __future__ import annotations

import io
import wave
from typing import Any

import numpy as np
from probing_support import Live, item_results

from audit.domain.evidence.tables import Evidence
from audit.domain.probing.tables import ProbeRun
from probes.audio import synth


def _wav(pauses: list[float], final_wait_s: float = 5.0) -> bytes:
    samples, _truth = synth.silent_call(pauses, final_wait_s=final_wait_s)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.asarray(samples).astype("<i2").tobytes())
    return buf.getvalue()


async def test_upload_is_judged_stored_and_handed_to_the_inspection(
    live: Live, hotline: dict[str, Any]
) -> None:
    inspection = hotline["inspection"]
    data = {
        "venue_id": str(hotline["venue_id"]),
        "called_at": "2026-03-10T14:05:00+08:00",
        "transcript": "您好,示例电信客服中心,请问有什么可以帮您?\n您好!请问有什么可以帮您?\n"
        "非常抱歉,您的电话没有声音,请您换一部电话再打来,再见!",
        "inspection_id": str(inspection["id"]),
    }
    files = {"file": ("call.wav", _wav([5.0, 5.0]), "audio/wav")}
    r = await live.http.post(
        "/probe-runs/recordings", data=data, files=files, headers=live.headers("inspector1")
    )
    assert r.status_code == 201, r.text
    run = r.json()
    assert run["provider"] == "upload" and run["status"] == "completed"
    assert run["measures"]["silent_call"]["verdict"] == "pass"
    assert run["measures"]["greeting"]["verdict"] == "pass"
    assert run["started_at"].startswith("2026-03-10T06:05:00")
    (evidence_id,) = run["evidence_ids"]
    row = await Evidence.select().where(Evidence._meta.primary_key == evidence_id).first()
    assert row["kind"] == "recording" and row["media_type"] == "audio/wav"
    items = await item_results(live, inspection["id"])
    assert items["silent.protocol"] == "pass" and items["greeting.standard"] == "pass"
    # The run is listed among the uploads, and a short-pause recording fails.
    files = {"file": ("bad.wav", _wav([2.0, 2.0]), "audio/wav")}
    data.pop("inspection_id")
    r = await live.http.post(
        "/probe-runs/recordings", data=data, files=files, headers=live.headers("inspector1")
    )
    assert r.status_code == 201, r.text
    assert r.json()["measures"]["silent_call"]["verdict"] == "fail"
    r = await live.http.get(
        "/probe-runs", params={"channel": "upload", "verdict": "fail"},
        headers=live.headers("admin"),
    )  # fmt: skip
    assert [x["id"] for x in r.json()] == [r.json()[0]["id"]] and len(r.json()) == 1


async def test_bad_uploads_name_the_field_and_store_nothing(
    live: Live, hotline: dict[str, Any]
) -> None:
    good = {"venue_id": str(hotline["venue_id"]), "called_at": "2026-03-10T14:05:00+08:00"}
    wav = _wav([5.0, 5.0])
    cases = [
        ({**good, "venue_id": "999999"}, ("a.wav", wav, "audio/wav"), "venue_id", 404),
        ({"venue_id": good["venue_id"]}, ("a.wav", wav, "audio/wav"), "called_at", 400),
        ({**good, "called_at": "2026-03-10T14:05:00"}, ("a.wav", wav, "audio/wav"),
         "called_at", 400),
        ({**good, "ivr_offset_s": "-3"}, ("a.wav", wav, "audio/wav"), "ivr_offset_s", 400),
        (good, ("a.wav", b"this is not audio at all", "audio/wav"), "file", 400),
    ]  # fmt: skip
    for data, file, field, status in cases:
        r = await live.http.post(
            "/probe-runs/recordings", data=data, files={"file": file},
            headers=live.headers("inspector1"),
        )  # fmt: skip
        assert r.status_code == status, (field, r.text)
        assert field in r.text, (field, r.text)
    r = await live.http.post(
        "/probe-runs/recordings", data=good, files={"file": ("a.wav", wav, "audio/wav")},
        headers=live.headers("op_a"),
    )  # fmt: skip
    assert r.status_code in (403, 404)
    assert await ProbeRun.count() == 0
    assert await Evidence.count() == 0
