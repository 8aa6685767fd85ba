"""The demo chat site: an HTTP server (stdlib, one thread per connection) with a chat page and
the generic chat API of docs/chat-probes.md.

Routes: ``GET /chat?scenario=…`` (page; ``iframe=1`` wraps the chat in an iframe),
``GET /broken`` (HTTP 500), ``POST /api/sessions``, ``POST /api/sessions/{id}/messages``,
``GET /api/sessions/{id}/messages?after=N`` (polling), ``GET /api/sessions/{id}/events`` (SSE,
used by the page), ``GET /api/sessions/{id}/log`` (the server's own timing, for benchmarks).
Agent replies are timed from the moment the server received the customer's message, so the
true reply delay is known exactly.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from probes.channels.chat_api.signing import signed_headers
from probes.chat_demo.agent import AgentScript, scenario_from_query


@dataclass
class Session:
    id: str
    agent: AgentScript
    callback_url: str | None
    params: dict[str, str] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    customer_count: int = 0
    cond: threading.Condition = field(default_factory=threading.Condition)
    closed: bool = False


class _Scheduler(threading.Thread):
    """Runs callables at monotonic due times (one thread; no timer per message)."""

    def __init__(self) -> None:
        super().__init__(name="demo-chat-scheduler", daemon=True)
        self._heap: list[tuple[float, int, Callable[[], object]]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._stopped = False

    def at(self, due: float, fn: Callable[[], object]) -> None:
        with self._cond:
            heapq.heappush(self._heap, (due, next(self._seq), fn))
            self._cond.notify()

    def run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped and (not self._heap or self._heap[0][0] > time.monotonic()):
                    timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(timeout)
                if self._stopped:
                    return
                _, _, fn = heapq.heappop(self._heap)
            fn()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()


class DemoChatSite:
    """``with DemoChatSite() as site: site.url("/chat", scenario="compliant")``."""

    def __init__(
        self, webhook_secret: str = "demo-secret", duplicate_webhooks: bool = False, port: int = 0
    ) -> None:
        self.port = port
        self.webhook_secret = webhook_secret
        self.duplicate_webhooks = duplicate_webhooks
        self.sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._scheduler = _Scheduler()
        self._deliveries: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self._delivery_thread = threading.Thread(target=self._deliver, daemon=True)
        self.webhook_failures: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> DemoChatSite:
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._scheduler.start()
        self._delivery_thread.start()
        return self

    def stop(self) -> None:
        self._scheduler.stop()
        self._deliveries.put(None)
        for s in list(self.sessions.values()):
            with s.cond:
                s.closed = True
                s.cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> DemoChatSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "site not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "/chat", **query: object) -> str:
        q = "&".join(f"{k}={v}" for k, v in query.items())
        return self.base_url + path + (f"?{q}" if q else "")

    # chat engine -----------------------------------------------------------------------
    def open_session(self, params: dict[str, str], callback_url: str | None = None) -> Session:
        agent = scenario_from_query(params)
        session = Session(uuid.uuid4().hex, agent, callback_url, dict(params))
        with self._lock:
            self.sessions[session.id] = session
        if agent.greeting:
            due = time.monotonic() + agent.greet_delay_s
            self._scheduler.at(
                due, functools.partial(self._emit, session, "agent", agent.greeting, due)
            )
        return session

    def customer_message(self, session: Session, text: str, message_id: str | None = None) -> dict:
        received = time.monotonic()
        with session.cond:
            n = session.customer_count
            session.customer_count += 1
        msg = self._emit(session, "customer", text, received, message_id)
        for delay, reply in session.agent.replies_to(n):
            due = received + delay
            self._scheduler.at(
                due, functools.partial(self._emit, session, "agent", reply, due, None, msg["id"])
            )
        return msg

    def _emit(
        self,
        session: Session,
        sender: str,
        text: str,
        due: float,
        message_id: str | None = None,
        reply_to: str | None = None,
    ) -> dict[str, Any]:
        now = time.time()
        with session.cond:
            msg = {
                "seq": len(session.messages) + 1,
                "id": message_id or uuid.uuid4().hex,
                "from": sender,
                "text": text,
                "at": now,
                "due_monotonic": due,
                "reply_to": reply_to,
            }
            session.messages.append(msg)
            session.cond.notify_all()
        if sender == "agent" and session.callback_url:
            body = json.dumps(
                {
                    "event": "message",
                    "session_id": session.id,
                    "message_id": msg["id"],
                    "from": "agent",
                    "text": text,
                    "at": now,
                },
                ensure_ascii=False,
            ).encode()
            for _ in range(2 if self.duplicate_webhooks else 1):
                self._deliveries.put((session.callback_url, body))
        return msg

    def _deliver(self) -> None:
        with httpx.Client(timeout=5) as client:
            while (item := self._deliveries.get()) is not None:
                url, body = item
                try:
                    r = client.post(
                        url, content=body, headers=signed_headers(self.webhook_secret, body)
                    )
                    if r.status_code >= 300:
                        self.webhook_failures.append(f"{url}: HTTP {r.status_code}")
                except httpx.HTTPError as exc:
                    self.webhook_failures.append(f"{url}: {exc}")

    def page(self, iframe: bool, query: str, opens: bool) -> str:
        if iframe:
            src = "/chat-frame" + (f"?{query}" if query else "")
            return (
                '<!doctype html><html><head><meta charset="utf-8"><title>Demo Telecom</title>'
                "</head><body><h1>Demo Telecom</h1>"
                f'<iframe id="chat-frame" src="{src}" width="480" height="460"></iframe>'
                "</body></html>"
            )
        html = resources.files("probes.chat_demo").joinpath("page.html").read_text("utf-8")
        return html.replace("__OPENS__", "true" if opens else "false")


class _Handler(BaseHTTPRequestHandler):
    site: DemoChatSite
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle on, the second waits for the peer's
    # delayed ACK (up to 40 ms on Linux), which would show up as reply latency.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def _send(self, status: int, body: bytes | str, ctype: str = "application/json") -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False))

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            return None

    def _session(self, sid: str) -> Session | None:
        s = self.site.sessions.get(sid)
        if s is None:
            self._json(404, {"error": f"no session {sid}"})
        return s

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        path = parts.path.rstrip("/") or "/"
        segs = path.strip("/").split("/")
        if path in ("/chat", "/chat-frame"):
            try:
                agent = scenario_from_query(query)
            except ValueError as exc:
                return self._send(400, str(exc), "text/plain")
            iframe = path == "/chat" and query.get("iframe") == "1"
            return self._send(200, self.site.page(iframe, parts.query, agent.opens), "text/html")
        if path == "/api/sessions":
            with self.site._lock:
                listing = [
                    {"session_id": s.id, "params": s.params} for s in self.site.sessions.values()
                ]
            return self._json(200, {"sessions": listing})
        if path == "/broken":
            return self._send(500, "<h1>500 Internal Server Error</h1>", "text/html")
        if len(segs) == 4 and segs[:2] == ["api", "sessions"]:
            s = self._session(segs[2])
            if s is None:
                return None
            if segs[3] == "messages":
                after = int(query.get("after", "0") or 0)
                with s.cond:
                    msgs = [m for m in s.messages if m["seq"] > after]
                return self._json(200, {"messages": msgs, "next": after + len(msgs)})
            if segs[3] == "log":
                with s.cond:
                    return self._json(200, {"messages": list(s.messages)})
            if segs[3] == "events":
                return self._events(s)
        return self._send(404, "not found", "text/plain")

    def _events(self, s: Session) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        sent = 0
        try:
            while True:
                with s.cond:
                    while len(s.messages) == sent and not s.closed:
                        s.cond.wait(15)
                        if len(s.messages) == sent and not s.closed:
                            break  # keep-alive comment below
                    if s.closed:
                        return
                    new = s.messages[sent:]
                    sent = len(s.messages)
                chunk = (
                    b"".join(
                        b"data: " + json.dumps(m, ensure_ascii=False).encode() + b"\n\n"
                        for m in new
                    )
                    or b": keep-alive\n\n"
                )
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def do_POST(self) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        segs = path.strip("/").split("/")
        body = self._body()
        if not isinstance(body, dict):
            return self._json(400, {"error": "body: expected a JSON object"})
        if segs == ["api", "sessions"]:
            params = body.get("params") or {}
            if not isinstance(params, dict):
                return self._json(400, {"error": "params: expected an object"})
            try:
                new = self.site.open_session(
                    {str(k): str(v) for k, v in params.items()}, body.get("callback_url")
                )
            except ValueError as exc:
                return self._json(400, {"error": str(exc)})
            return self._json(201, {"session_id": new.id})
        if len(segs) == 4 and segs[:2] == ["api", "sessions"] and segs[3] == "messages":
            s = self._session(segs[2])
            if s is None:
                return None
            text = body.get("text")
            if not isinstance(text, str) or not text.strip():
                return self._json(400, {"error": "text: expected a non-empty string"})
            msg = self.site.customer_message(s, text, body.get("message_id"))
            return self._json(202, {"message_id": msg["id"], "seq": msg["seq"]})
        return self._json(404, {"error": "not found"})
