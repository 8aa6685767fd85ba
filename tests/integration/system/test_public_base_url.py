"""``audit run --port N`` without AUDIT_PUBLIC_BASE_URL: the public URL follows the bound
address, so the simulator's voice callbacks reach this server and a probe call finishes
(before: they went to :8000 and the run hung in ``dialing``). A public URL that answers nothing
is warned about once the server is up (issue 16 item 14)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.integration.system.live import env, free_port, login, running

PASSWORD = "demo-password-for-tests"
FINAL = ("completed", "analysis_failed", "probe_error", "canceled")


def test_voice_callbacks_reach_a_server_on_another_port(tmp_path: Path) -> None:
    port = free_port()
    settings = env(
        AUDIT_VAR_DIR=str(tmp_path),  # and no AUDIT_DATABASE_URL: var/audit.sqlite
        AUDIT_DEMO="true",
        AUDIT_AUTO_MIGRATE="true",
        AUDIT_DEMO_PASSWORD=PASSWORD,
        AUDIT_DEMO_CHAT_PORT=str(free_port()),
        AUDIT_MAIL_SINK_PORT="0",
        AUDIT_TWILIO_SIM_TIME_SCALE="0.05",  # a 40 s call in 2 s
    )
    with running(settings, port) as server:
        line = server.wait_for_line("public base URL")
        assert f"http://127.0.0.1:{port}" in line
        server.wait_healthy()
        headers = login(server.url, "inspector1", PASSWORD)
        operators = httpx.get(f"{server.url}/operators", headers=headers).json()
        venues = httpx.get(
            f"{server.url}/operators/{operators[0]['id']}/venues", headers=headers
        ).json()
        hotline = next(v for v in venues if v["phones"] == ["+861055550101"])  # compliant
        started = httpx.post(
            f"{server.url}/probe-runs", json={"venue_id": hotline["id"]}, headers=headers
        )
        assert started.status_code == 201, started.text
        run_url = f"{server.url}/probe-runs/{started.json()['id']}"
        end = time.monotonic() + 240  # a deadline for a stuck run, not a speed assertion
        run = started.json()
        while run["status"] not in FINAL and time.monotonic() < end:
            time.sleep(0.5)
            run = httpx.get(run_url, headers=headers, timeout=30).json()
        assert run["status"] == "completed", run
        assert (tmp_path / "audit.sqlite").is_file()
    assert "webhook http://127.0.0.1:8000" not in "".join(server.lines)


def test_an_unreachable_public_url_is_warned_about(tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = env(
        AUDIT_VAR_DIR=str(tmp_path), AUDIT_AUTO_MIGRATE="true", AUDIT_PUBLIC_BASE_URL=nowhere
    )
    with running(settings, free_port()) as server:
        server.wait_healthy()
        line = server.wait_for_line("cannot be reached")
    assert "AUDIT_PUBLIC_BASE_URL" in line and nowhere in line


def test_a_reachable_public_url_is_not_warned_about(tmp_path: Path) -> None:
    port = free_port()
    settings = env(
        AUDIT_VAR_DIR=str(tmp_path),
        AUDIT_AUTO_MIGRATE="true",
        AUDIT_PUBLIC_BASE_URL=f"http://localhost:{port}",
    )
    with running(settings, port) as server:
        server.wait_healthy()
        server.wait_for_line("public base URL answers")
    assert "cannot be reached" not in "".join(server.lines)
