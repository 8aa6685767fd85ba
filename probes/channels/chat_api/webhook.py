"""Receiving agent messages by webhook: HMAC-SHA256 signed, idempotent by message id.

:class:`WebhookInbox` is the pure part (verify, parse, de-duplicate) that the audit app's
webhook endpoint can reuse; :class:`WebhookReceiver` is a small local HTTP server around it for
running a chat-API probe outside the app (tests, CLI).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from probes.channels.chat_api.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    verify,
)


@dataclass(frozen=True)
class AgentMessage:
    session_id: str
    message_id: str
    text: str
    received_at: datetime  # our clock: the observation that timing is measured on
    reported_at: float | None  # the sender's own time (Unix seconds), kept for the record


@dataclass(frozen=True)
class Delivery:
    status: int  # HTTP status to answer with
    detail: str
    message: AgentMessage | None = None  # set only for a new message
    duplicate: bool = False


def parse_webhook_body(body: bytes) -> dict[str, Any]:
    """Decode and check the webhook JSON; raises ValueError naming the field."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise ValueError("body: not JSON (or nested too deep)") from None
    if not isinstance(data, dict):
        raise ValueError("body: expected a JSON object")
    for key in ("session_id", "message_id", "text"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ValueError(f"{key}: expected a non-empty string")
        if "\x00" in data[key]:  # never storable as text (PostgreSQL refuses NUL)
            raise ValueError(f"{key}: NUL characters are not allowed")
    if data.get("from", "agent") != "agent":
        raise ValueError(f"from: expected 'agent', got {data.get('from')!r}")
    at = data.get("at")
    if at is not None and (isinstance(at, bool) or not isinstance(at, int | float)):
        raise ValueError("at: expected Unix seconds")
    return data


class WebhookInbox:
    """Thread-safe; ``listener`` is called once per new message (not for duplicates)."""

    def __init__(self, secret: str, listener: Callable[[AgentMessage], None] | None = None):
        self.secret = secret
        self.listener = listener
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self.rejected: list[str] = []

    def receive(
        self, body: bytes, headers: Mapping[str, str], received_at: datetime | None = None
    ) -> Delivery:
        now = received_at or datetime.now(UTC)
        lower = {k.lower(): v for k, v in headers.items()}
        try:
            verify(
                self.secret,
                body,
                lower.get(TIMESTAMP_HEADER.lower()),
                lower.get(SIGNATURE_HEADER.lower()),
            )
        except SignatureError as exc:
            self.rejected.append(str(exc))
            return Delivery(401, f"bad signature: {exc}")
        try:
            data = parse_webhook_body(body)
        except ValueError as exc:
            self.rejected.append(str(exc))
            return Delivery(400, str(exc))
        key = (data["session_id"], data["message_id"])
        with self._lock:
            if key in self._seen:
                return Delivery(200, "duplicate ignored", duplicate=True)
            self._seen.add(key)
        msg = AgentMessage(
            data["session_id"], data["message_id"], data["text"], now, data.get("at")
        )
        if self.listener is not None:
            self.listener(msg)
        return Delivery(202, "accepted", message=msg)


class WebhookReceiver:
    """``with WebhookReceiver(inbox) as r: r.url`` — POST-only HTTP endpoint on 127.0.0.1."""

    def __init__(self, inbox: WebhookInbox, path: str = "/chat-webhook") -> None:
        self.inbox = inbox
        self.path = path
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answer without waiting for a delayed ACK

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                received = datetime.now(UTC)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.split("?")[0] != receiver.path:
                    result = Delivery(404, "not found")
                else:
                    result = receiver.inbox.receive(body, dict(self.headers.items()), received)
                data = json.dumps({"detail": result.detail, "duplicate": result.duplicate}).encode()
                self.send_response(result.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        assert self._server is not None, "receiver not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"
