"""Secrets never reach the server log (issue 16 item 1): unhandled errors are logged with the
traceback as text — no local variables — and one processor masks tokens, cookies, passwords,
the Twilio auth token and DSN passwords, in the console format and in JSON (which keeps the
traceback text).

The errors are real unhandled exceptions raised inside the running app: a route whose frame
holds a password and whose message carries a DSN and a bearer token, and the Twilio webhook
failing after the signature check (its frame holds the auth token)."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from litestar import Request, post
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from probes.channels.voice.twilio import TwilioAccount
from probes.twilio_sim import twilio_signature

TOKEN = "sqa_test_admin_token"
COOKIE_VALUE = "s3ss10n-c00kie-value-0123456789"
PASSWORD = "hunter2-correct-horse"
DSN_PASSWORD = "dsn-pa55word-42"
AUTH_TOKEN = "7f" * 16  # a Twilio auth token: 32 hex digits
SECRETS = [TOKEN, "test_admin_token", COOKIE_VALUE, PASSWORD, DSN_PASSWORD, AUTH_TOKEN]


@post("/test-only/boom", sync_to_thread=False)
def boom(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> None:
    password = data["password"]  # a local the old traceback printed
    dsn = f"postgresql://audit:{DSN_PASSWORD}@db.internal:5432/audit"
    header = request.headers.get("authorization")
    raise RuntimeError(f"cannot reach {dsn} for {header} (password={password})")


@pytest.fixture(params=[False, True], ids=["console", "json"])
def log_json(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    """AUDIT_LOG_JSON as the server would read it (workers reconfigure logging from it too)."""
    from audit.settings import get_settings

    monkeypatch.setenv("AUDIT_LOG_JSON", "true" if request.param else "false")
    get_settings.cache_clear()
    yield bool(request.param)
    monkeypatch.undo()
    get_settings.cache_clear()


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "app did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


def _app() -> Any:
    from audit.core import build_app

    app = build_app()
    app.register(boom)
    return app


def _lines(err: str, log_json: bool) -> tuple[list[dict[str, Any]], str]:
    if not log_json:
        return [], err
    records = []
    for line in err.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records, err


async def test_unhandled_route_error(
    db: str, cast: Any, capsys: pytest.CaptureFixture[str], log_json: bool
) -> None:
    app = _app()
    async with AsyncTestClient(app, base_url="https://testserver.local") as client:
        r = await client.post(
            "/test-only/boom",
            json={"password": PASSWORD},
            headers={"Authorization": f"Bearer {TOKEN}", "Cookie": f"audit_session={COOKIE_VALUE}"},
        )
    assert r.status_code == 500
    err = capsys.readouterr().err
    assert "unhandled error" in err
    for secret in SECRETS:
        assert secret not in err, f"{secret!r} is in the log:\n{err}"
    assert "RuntimeError: cannot reach postgresql://audit:[REDACTED]@db.internal" in err
    assert "Traceback (most recent call last)" in err
    assert "locals" not in err
    records, _ = _lines(err, log_json)
    if log_json:
        (error,) = [r for r in records if r["event"] == "unhandled error"]
        assert "Traceback (most recent call last)" in error["exception"]
        assert "in boom" in error["exception"]
        assert "exc_info" not in error


async def test_webhook_error_keeps_the_auth_token_out(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, log_json: bool
) -> None:
    from audit.domain.probing import webhooks
    from audit.domain.probing.telephony import use_account

    async def fails(run_id: int, kind: str, params: dict[str, str]) -> None:
        raise ConnectionResetError("the database went away mid-callback")

    # Fault injection: the failure happens after the signature check, where the auth token is
    # a local of the frame.
    monkeypatch.setattr(webhooks, "receive_callback", fails)
    use_account(TwilioAccount("AC" + "1" * 32, AUTH_TOKEN, "http://127.0.0.1:9"))
    path = "/webhooks/twilio/status?run=1"
    params = {"CallSid": "CA" + "2" * 32, "CallStatus": "ringing"}
    sig = twilio_signature(AUTH_TOKEN, "https://testserver.local" + path, params)
    try:
        # over real HTTP: the signed URL is the public base + the path as sent on the wire
        with served(_app()) as base:
            async with httpx.AsyncClient(base_url=base) as http:
                r = await http.post(path, data=params, headers={"X-Twilio-Signature": sig})
    finally:
        use_account(None)
    assert r.status_code == 500
    err = capsys.readouterr().err
    assert "ConnectionResetError: the database went away" in err
    assert AUTH_TOKEN not in err and sig not in err, err


def test_standard_library_records_are_redacted_too(capsys: pytest.CaptureFixture[str]) -> None:
    """Libraries log through ``logging``: their warnings pass the same processor."""
    from audit.logging import configure_logging
    from audit.settings import get_settings

    configure_logging(get_settings().model_copy(update={"log_json": True}))
    try:
        raise ValueError(f"login failed for postgresql://u:{DSN_PASSWORD}@h/db")
    except ValueError:
        logging.getLogger("some.library").exception(
            "connect failed, Authorization: Bearer %s", TOKEN
        )
    err = capsys.readouterr().err
    record = json.loads(next(line for line in err.splitlines() if "some.library" in line))
    assert record["logger"] == "some.library"
    assert "Traceback (most recent call last)" in record["exception"]
    assert TOKEN not in err and DSN_PASSWORD not in err, err
