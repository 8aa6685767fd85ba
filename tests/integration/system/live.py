"""The real ``audit`` command in a subprocess: one-shot commands and a running ``audit run``.

The environment starts from the test process's own, minus the settings conftest fixes for the
in-process app (its database, var dir and public URL), so each test says what it configures.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

AUDIT = [sys.executable, "-m", "audit"]
STARTUP_S = 180.0  # a loaded 2-core machine may take this long to import and start the app
_FIXED_BY_CONFTEST = (
    "AUDIT_DATABASE_URL",
    "AUDIT_VAR_DIR",
    "AUDIT_PUBLIC_BASE_URL",
    "AUDIT_DB_POOL",
)


def env(**settings: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _FIXED_BY_CONFTEST}
    return {**base, **settings}


def audit(args: list[str], settings: dict[str, str], timeout: float = 180) -> Any:
    return subprocess.run(
        AUDIT + args, capture_output=True, text=True, timeout=timeout, env=settings
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """``audit run`` in the background; its stderr is collected line by line."""

    process: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    def wait_for_line(self, text: str, timeout: float = STARTUP_S) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.process.poll() is not None and not any(text in x for x in self.lines):
                break
            time.sleep(0.2)
        raise AssertionError(f"no line with {text!r} in the server log:\n" + "".join(self.lines))

    def wait_healthy(self, timeout: float = STARTUP_S) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise AssertionError("server exited:\n" + "".join(self.lines))
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return
            time.sleep(0.3)
        raise AssertionError("server never became healthy:\n" + "".join(self.lines))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly on SIGINT
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


@contextlib.contextmanager
def running(settings: dict[str, str], port: int, *extra: str) -> Iterator[Server]:
    process = subprocess.Popen(
        [*AUDIT, "run", "--host", "127.0.0.1", "--port", str(port), *extra],
        env=settings,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(process, f"http://127.0.0.1:{port}")

    def collect() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            server.lines.append(line)

    threading.Thread(target=collect, daemon=True).start()
    try:
        yield server
    finally:
        server.stop()


def login(base_url: str, username: str, password: str) -> dict[str, str]:
    """Headers of a logged-in browser-like client (session cookie + CSRF token).

    httpx keeps ``Secure`` cookies off plain http, so the cookies are sent by hand."""
    r = httpx.post(
        f"{base_url}/auth/login", json={"username": username, "password": password}, timeout=30
    )
    assert r.status_code == 200, r.text
    session = r.cookies["audit_session"]
    me = httpx.get(f"{base_url}/auth/me", headers={"cookie": f"audit_session={session}"})
    csrf = me.cookies["audit_csrf"]
    return {"cookie": f"audit_session={session}; audit_csrf={csrf}", "x-csrftoken": csrf}


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777
