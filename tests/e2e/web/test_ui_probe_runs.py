"""In Chromium: a compliant simulated call's page draws the callee channel with its three
greetings; a recording a person made on their phone (M4A, made here with espeak-ng and
ffmpeg) sent through the form becomes a stored, judged run with the file as evidence."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tests.e2e.web.browser import logged_in_context
from tests.integration.probing.probing_support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CALLER,
    settled,
    sim_config,
)

pytestmark = pytest.mark.browser
COMPLIANT = "+861055550101"  # the demo contact centre's compliant agent


@contextlib.contextmanager
def telephony(app_url: str) -> Iterator[Any]:
    from audit.domain.probing.telephony import use_account
    from probes.channels.voice.twilio import TwilioAccount
    from probes.twilio_sim import start_simulator

    with start_simulator(sim_config(app_url)) as sim:
        use_account(TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, sim.base_url), (CALLER,))
        try:
            yield sim
        finally:
            use_account(None)


async def test_run_page_draws_the_three_greetings_of_a_compliant_call(
    world: Any, web_server: str, browser: Any
) -> None:
    cast = world.cast
    venue = world.venues["a_hotline"]
    with telephony(web_server) as sim:
        async with httpx.AsyncClient(base_url=web_server, timeout=30) as http:
            r = await http.post(
                "/probe-runs",
                json={"venue_id": venue["id"], "target": COMPLIANT},
                headers=cast.headers("supervisor"),
            )
            assert r.status_code == 201, r.text
            run = r.json()
            await asyncio.to_thread(sim.simulator.wait_call, run["provider_ref"])
            await settled(run["id"])  # the probing.finish job has stored the results
            r = await http.get(f"/probe-runs/{run['id']}", headers=cast.headers("supervisor"))
            assert r.json()["status"] == "completed", r.json()
    context = await logged_in_context(browser, web_server, world.user("analyst"))
    page = await context.new_page()
    await page.goto(f"{web_server}/ui/probe-runs?channel=voice&verdict=pass")
    await page.click(f"#probe-runs a[href='/ui/probe-runs/{run['id']}']")
    await page.wait_for_selector("svg.waveform", timeout=20_000)
    assert await page.locator("svg.waveform rect.utterance").count() == 3
    assert await page.locator("svg.waveform line.pause[data-ok=true]").count() == 2
    assert await page.locator("svg.waveform line.final-wait[data-ok=true]").count() == 1
    assert await page.locator("svg.waveform polygon.wave").count() == 1
    assert await page.get_attribute("#silent-verdict", "class") == "verdict-pass"
    assert await page.locator("#utterances tbody tr").count() == 3
    assert await page.locator(".transcript mark").count() >= 1  # the matched greeting words
    src = await page.get_attribute("audio", "src")
    assert src is not None
    got = await page.request.get(web_server + src)
    assert got.status == 200 and got.headers["content-type"].startswith("audio/wav")
    # Another run's evidence is not served under this run.
    other = await page.request.get(f"{web_server}/ui/probe-runs/{run['id']}/evidence/999/content")
    assert other.status == 404
    await context.close()


def _greeting_m4a(folder: Path) -> Path:
    """Three spoken greetings, 5 s apart, then 6 s of waiting: a compliant agent, as M4A."""
    from probes.analysis.decode import read_recording

    spoken = folder / "greeting.wav"
    subprocess.run(
        ["espeak-ng", "-v", "cmn-latn-pinyin", "-w", str(spoken),
         "nin2 hao3, shi4 li4 dian4 xin4, qing3 wen4 you3 shen2 me5 ke3 yi3 bang1 nin2"],
        check=True, capture_output=True,
    )  # fmt: skip
    voice = read_recording(spoken).channel(0)
    gap = np.zeros(8000 * 5, dtype=np.int16)
    tail = np.zeros(8000 * 6, dtype=np.int16)
    samples = np.concatenate([voice, gap, voice, gap, voice, tail])
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(samples.tobytes())
    plain = folder / "call.wav"
    plain.write_bytes(buf.getvalue())
    m4a = folder / "call.m4a"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-y", "-i", str(plain), "-c:a", "aac",
         "-b:a", "64k", str(m4a)],
        check=True, capture_output=True,
    )  # fmt: skip
    return m4a


async def test_a_recording_sent_through_the_form_becomes_a_run_with_its_evidence(
    world: Any, web_server: str, browser: Any, tmp_path: Path
) -> None:
    from audit.domain.evidence.tables import Evidence
    from audit.domain.probing.tables import ProbeRun

    m4a = _greeting_m4a(tmp_path)
    before = await ProbeRun.count()  # the test world's own runs
    venue = world.venues["a_hotline"]
    context = await logged_in_context(browser, web_server, world.user("inspector1"))
    page = await context.new_page()
    await page.goto(f"{web_server}/ui/probe-runs/recordings/new")
    # First without a time: the form comes back naming the field, nothing stored.
    await page.set_input_files("#f-file", str(m4a))
    await page.select_option("#f-venue_id", str(venue["id"]))
    await page.evaluate("document.getElementById('f-called_at').removeAttribute('required')")
    await page.click("#recording-form button[type=submit]")
    await page.wait_for_selector("#e-called_at", timeout=20_000)
    assert await ProbeRun.count() == before
    await page.set_input_files("#f-file", str(m4a))
    await page.select_option("#f-venue_id", str(venue["id"]))
    await page.fill("#f-called_at", "2026-03-10T14:05:00")
    await page.fill("#f-transcript", "您好，示例电信，请问有什么可以帮您？")
    await page.click("#recording-form button[type=submit]")
    await page.wait_for_selector("svg.waveform", timeout=30_000)
    run_id = int(page.url.rstrip("/").split("/")[-1])
    run = await ProbeRun.select().where(ProbeRun.id == run_id).first()
    assert run["provider"] == "upload" and run["status"] == "completed"
    assert run["venue"] == venue["id"]
    ids = run["evidence_ids"]
    (evidence_id,) = json.loads(ids) if isinstance(ids, str) else ids
    evidence = await Evidence.select().where(Evidence._meta.primary_key == evidence_id).first()
    assert evidence["kind"] == "recording" and evidence["media_type"] == "audio/mp4"
    assert evidence["size"] == m4a.stat().st_size
    assert await page.locator("svg.waveform rect.utterance").count() == 3
    assert await page.get_attribute("#silent-verdict", "class") == "verdict-pass"
    src = await page.get_attribute("audio", "src")
    got = await page.request.get(web_server + str(src))
    assert got.status == 200 and await got.body() == m4a.read_bytes()
    await context.close()
