"""Fixtures: a running Twilio simulator (demo scenarios, fast clock) and a webhook sink.

The sink is a plain HTTP server on 127.0.0.1 that records every request it receives, so the
tests see exactly what the simulator sent over the wire (URL, headers, form body).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from twilio_support import ACCOUNT_SID, AUTH_TOKEN, Dialer, Received, Sink, make_config

from probes.channels.voice.twilio import TwilioAccount
from probes.twilio_sim import RunningSimulator, start_simulator


@pytest.fixture
def sink() -> Iterator[Sink]:
    holder: dict[str, Sink] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            record = Received(
                self.path,
                {k: v for k, v in self.headers.items()},
                parse_qsl(body, keep_blank_values=True),
            )
            with holder["sink"].lock:
                holder["sink"].received.append(record)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["sink"] = Sink(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["sink"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def sim() -> Iterator[RunningSimulator]:
    with start_simulator(make_config()) as running:
        yield running


@pytest.fixture
def account(sim: RunningSimulator) -> TwilioAccount:
    return TwilioAccount(ACCOUNT_SID, AUTH_TOKEN, sim.base_url)


@pytest.fixture
def dialer(sim: RunningSimulator, account: TwilioAccount, sink: Sink) -> Dialer:
    return Dialer(sim, account, sink)
