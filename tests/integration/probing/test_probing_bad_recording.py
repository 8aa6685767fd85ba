"""Recordings that cannot be analysed (truncated, empty, not audio, oversized) end the run
``analysis_failed`` with the reason; the bytes that arrived are kept and the answer
measures, which need no audio, are still stored."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from probing_support import Live

from audit.domain.evidence.tables import Evidence

GREETING = [{"text": "您好,示例电信客服中心,请问有什么可以帮您?", "then_wait_s": 5}] * 3


@pytest.fixture
def extra_scenarios() -> dict[str, Any]:
    return {
        f"+86105555020{i}": {"answer_after_rings": 1, "utterances": GREETING, "recording_fault": f}
        for i, f in enumerate(("truncated", "empty", "garbage"))
    }


async def _failed(live: Live, hotline: dict[str, Any], target: str) -> dict[str, Any]:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target=target)
    run = await live.finished(run)
    assert run["status"] == "analysis_failed", run
    assert run["measures"]["outcome"] == "answered" and run["measures"]["rings"] == 1
    assert "silent_call" not in run["measures"]
    return run


async def test_truncated_wav_is_kept_as_evidence(live: Live, hotline: dict[str, Any]) -> None:
    run = await _failed(live, hotline, "+861055550200")
    assert "truncated" in run["error_reason"]
    (evidence_id,) = run["evidence_ids"]
    row = await Evidence.select().where(Evidence._meta.primary_key == evidence_id).first()
    assert row["size"] == 1024 and row["kind"] == "recording"


async def test_empty_recording(live: Live, hotline: dict[str, Any]) -> None:
    run = await _failed(live, hotline, "+861055550201")
    assert "empty" in run["error_reason"]
    assert run["observations"]["recording"]["size"] == 0


async def test_not_audio_is_quarantined(live: Live, hotline: dict[str, Any]) -> None:
    run = await _failed(live, hotline, "+861055550202")
    kept = run["observations"]["recording"]
    assert run["evidence_ids"] == [] and "rejected" in kept
    data = Path(kept["quarantine"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == kept["sha256"] and data.startswith(b"<html>")


async def test_oversized_recording(
    live: Live, hotline: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.settings import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_bytes", 100_000)
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550101")
    run = await live.finished(run)
    assert run["status"] == "analysis_failed"
    assert "oversized" in run["error_reason"]
    assert run["measures"]["answer_seconds"] == 10.0
