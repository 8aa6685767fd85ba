"""What ``audit run`` checks before the server starts, so a wrong setting is one line naming it
(and the CLI exits non-zero) instead of a traceback from inside the server's start-up.

Also: without ``AUDIT_PUBLIC_BASE_URL``, the public URL follows the bound host and port (voice
callbacks and QR codes must reach this very server), and once the server is up a thread checks
that the public URL answers and warns if it doesn't.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import threading
import time

import httpx
import structlog

from audit import dbcheck
from audit.errors import ConfigError
from audit.settings import Settings, get_settings, load_settings

log = structlog.get_logger("audit")
BASE_URL_ENV = "AUDIT_PUBLIC_BASE_URL"
REACH_DEADLINE_S = 120.0  # the server may take a while to start on a loaded machine


def check_database(settings: Settings) -> None:
    asyncio.run(dbcheck.check(settings.database_url))


def check_port(host: str, port: int, setting: str) -> None:
    """ConfigError naming ``setting`` when host:port can't be bound (in use, not allowed)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # as the servers do: a port left in TIME_WAIT by a stopped server is free
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            reason = "is already in use" if exc.errno == 98 else f"cannot be bound: {exc.strerror}"
            raise ConfigError(
                setting, f"port {port} on {host} {reason}; choose a free port"
            ) from None


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def derived_base_url(host: str, port: int) -> str:
    """The URL this server answers on: a wildcard bind answers on loopback too."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def use_bound_address(host: str, port: int) -> None:
    """Default AUDIT_PUBLIC_BASE_URL to the bound address (the web processes read the same
    environment, also under --reload and --web-concurrency)."""
    if os.environ.get(BASE_URL_ENV):
        return
    url = derived_base_url(host, port)
    os.environ[BASE_URL_ENV] = url
    get_settings.cache_clear()
    log.info("public base URL follows the bound address", url=url, setting=BASE_URL_ENV)
    settings = get_settings()
    if not _loopback(host) or settings.twilio_account_sid:
        log.warning(
            f"{BASE_URL_ENV} is not set: Twilio callbacks and QR codes point to {url}, which "
            f"only this machine can reach; set {BASE_URL_ENV} to the URL the outside world uses"
        )


def _answers(url: str) -> str | None:
    """None if our /health answers at url (200 or 503, with our body), else why not."""
    try:
        r = httpx.get(f"{url.rstrip('/')}/health", timeout=5.0, follow_redirects=False)
    except httpx.HTTPError as exc:
        return type(exc).__name__
    try:
        ok = r.status_code in (200, 503) and "version" in r.json()
    except ValueError:
        ok = False
    return None if ok else f"HTTP {r.status_code}, not this app's /health"


def watch_public_url(bound: str, public: str, deadline_s: float = REACH_DEADLINE_S) -> None:
    """Once the bound address answers, check the public URL; warn if it doesn't answer."""

    def run() -> None:
        end = time.monotonic() + deadline_s
        while _answers(bound) is not None:
            if time.monotonic() > end:
                return  # the server did not come up: its own error says why
            time.sleep(0.5)
        why = _answers(public)
        if why is None:
            log.info("public base URL answers", url=public, setting=BASE_URL_ENV)
        else:
            log.warning(
                f"{BASE_URL_ENV} {public} cannot be reached from this machine ({why}): voice "
                "probe callbacks and QR codes will not reach the app; set it to the URL "
                "Twilio and readers use to reach this server",
                setting=BASE_URL_ENV,
            )

    threading.Thread(target=run, name="public-url-check", daemon=True).start()


def before_run(host: str, port: int, fd: int | None, uds: str | None) -> None:
    """Every check of ``audit run``; ConfigError (one line) on the first that fails."""
    settings = load_settings()
    from audit.logging import configure_logging

    configure_logging(settings)
    check_database(settings)
    bound = fd is None and uds is None
    if bound:
        check_port(host, port, "--port")
    if settings.demo:
        check_port("127.0.0.1", settings.demo_chat_port, "AUDIT_DEMO_CHAT_PORT")
    if bound:
        use_bound_address(host, port)
        watch_public_url(derived_base_url(host, port), get_settings().public_base_url)
