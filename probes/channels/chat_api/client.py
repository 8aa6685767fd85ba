"""Chat-API probe: the generic HTTP chat protocol of docs/chat-probes.md.

``POST {base}{start_path}`` ``{"params": …, "callback_url": …}`` → ``{"session_id"}``;
``POST {base}{send_path}`` ``{"text", "message_id"}`` per customer message; agent messages
come back by signed webhook (:mod:`probes.channels.chat_api.webhook`) or by polling
``GET {base}{poll_path}?after=CURSOR`` → ``{"messages": [{"id", "from", "text"}], "next"}``.
Agent message times are our receipt times (a polled message is late by up to one poll interval;
webhooks are the accurate mode).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from probes.analysis.chat_transcript import Message, Transcript
from probes.channels.chat_api.webhook import AgentMessage, WebhookInbox, WebhookReceiver
from probes.chat.profile import CustomerScript, ProfileError, Step, describe_validation_error
from probes.chat.result import ChatProbeResult, ProbeFailure


class ChatApiProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    base_url: str = Field(pattern=r"^https?://")
    start_path: str = "/api/sessions"
    send_path: str = "/api/sessions/{session_id}/messages"
    poll_path: str = "/api/sessions/{session_id}/messages"
    mode: Literal["webhook", "polling"] = "webhook"
    poll_interval_s: float = Field(default=0.5, gt=0)
    webhook_secret: str | None = None
    headers: dict[str, str] = Field(default_factory=dict, description="e.g. Authorization")
    start_params: dict[str, str] = Field(default_factory=dict)
    request_timeout_s: float = Field(default=10.0, gt=0)
    max_duration_s: float = Field(default=900.0, gt=0)
    settle_s: float = Field(default=2.0, ge=0)


def load_api_profile(data: dict[str, Any]) -> ChatApiProfile:
    try:
        profile = ChatApiProfile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"chat-API profile: {describe_validation_error(exc)}") from None
    if profile.mode == "webhook" and not profile.webhook_secret:
        raise ProfileError("chat-API profile: webhook_secret is required in webhook mode")
    return profile


def _ms(t: datetime) -> float:
    return t.timestamp() * 1000.0


class _ApiRun:
    def __init__(self, profile: ChatApiProfile, client: httpx.AsyncClient) -> None:
        self.profile = profile
        self.client = client
        self.session_id: str | None = None
        self.records: list[dict[str, Any]] = []
        self.changed = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        self.last_sent_ms: float | None = None
        self.warnings: list[str] = []

    def on_agent(self, msg: AgentMessage) -> None:
        """Called from the webhook receiver's thread."""
        self.loop.call_soon_threadsafe(self._add, msg)

    def _add(self, msg: AgentMessage) -> None:
        if self.session_id is not None and msg.session_id != self.session_id:
            self.warnings.append(f"webhook for another session ignored: {msg.session_id}")
            return
        self.records.append({"from": "agent", "text": msg.text, "t": _ms(msg.received_at)})
        self.changed.set()

    async def request(self, method: str, path: str, **kw: Any) -> Any:
        url = self.profile.base_url.rstrip("/") + path.format(session_id=self.session_id)
        try:
            r = await self.client.request(method, url, headers=self.profile.headers, **kw)
        except httpx.HTTPError as exc:
            raise ProbeFailure("target_unreachable", f"{method} {url}: {exc!r}") from None
        if r.status_code >= 400:
            raise ProbeFailure(
                "target_unreachable", f"{method} {url} answered HTTP {r.status_code}"
            )
        try:
            return r.json()
        except ValueError:
            raise ProbeFailure(
                "target_unreachable", f"{method} {url}: response is not JSON"
            ) from None

    async def poll_forever(self) -> None:
        cursor: Any = 0
        while True:
            data = await self.request("GET", self.profile.poll_path, params={"after": cursor})
            received = datetime.now(UTC)
            if not isinstance(data, dict) or not isinstance(data.get("messages", []), list):
                raise ProbeFailure("probe_error", 'poll: expected {"messages": [...]}')
            for m in data.get("messages", []):
                if m.get("from") == "agent" and isinstance(m.get("text"), str):
                    self.records.append({"from": "agent", "text": m["text"], "t": _ms(received)})
                    self.changed.set()
            cursor = data.get("next", cursor)
            await asyncio.sleep(self.profile.poll_interval_s)

    async def wait_for(self, predicate: Any, seconds: float) -> None:
        deadline = self.loop.time() + seconds
        while not predicate() and (left := deadline - self.loop.time()) > 0:
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)

    def agent_after(self, ms: float | None) -> bool:
        return any(r["from"] == "agent" and (ms is None or r["t"] >= ms) for r in self.records)

    async def step(self, step: Step) -> None:
        if step.kind == "say":
            self.last_sent_ms = time.time() * 1000.0
            self.records.append({"from": "customer", "text": step.text, "t": self.last_sent_ms})
            body = {"text": step.text, "message_id": uuid.uuid4().hex}
            await self.request("POST", self.profile.send_path, json=body)
        elif step.kind == "wait":
            await self.wait_for(lambda: False, step.seconds or 0)
        elif step.kind == "silent":
            await self.wait_for(lambda: self.agent_after(None), step.seconds or 0)
        else:
            since = self.last_sent_ms
            await self.wait_for(lambda: self.agent_after(since), step.seconds or 0)


async def run_api_chat(
    profile: ChatApiProfile,
    script: CustomerScript,
    *,
    inbox: WebhookInbox | None = None,
    callback_url: str | None = None,
) -> ChatProbeResult:
    """Run one chat over the API. Webhook mode starts a local receiver unless the caller passes
    its own ``inbox`` + public ``callback_url`` (e.g. the audit app's webhook endpoint)."""
    started = datetime.now(UTC)
    outcome: Any = "completed"
    reason: str | None = None
    opened_ms: float | None = None
    async with httpx.AsyncClient(timeout=profile.request_timeout_s) as client:
        run = _ApiRun(profile, client)
        with contextlib.ExitStack() as stack:
            if profile.mode == "webhook" and callback_url is None:
                assert profile.webhook_secret is not None
                inbox = WebhookInbox(profile.webhook_secret, run.on_agent)
                callback_url = stack.enter_context(WebhookReceiver(inbox)).url
            elif inbox is not None:
                inbox.listener = run.on_agent
            poller: asyncio.Task[None] | None = None
            try:
                async with asyncio.timeout(profile.max_duration_s):
                    body = {"params": profile.start_params, "callback_url": callback_url}
                    data = await run.request("POST", profile.start_path, json=body)
                    if not isinstance(data, dict) or not isinstance(data.get("session_id"), str):
                        raise ProbeFailure("probe_error", "start: response has no session_id")
                    run.session_id = data["session_id"]
                    opened_ms = time.time() * 1000.0
                    if profile.mode == "polling":
                        poller = asyncio.create_task(run.poll_forever())
                    for step in script.steps:
                        await run.step(step)
                        if poller is not None and poller.done():
                            poller.result()  # re-raise a polling failure
                    await run.wait_for(lambda: False, profile.settle_s)
            except ProbeFailure as exc:
                outcome, reason = exc.outcome, exc.reason
            except TimeoutError:
                outcome = "probe_error"
                reason = f"the run exceeded max_duration_s={profile.max_duration_s:g}"
            except Exception as exc:  # e.g. a response of the wrong shape: end the run cleanly
                outcome, reason = "probe_error", f"{type(exc).__name__}: {exc}"
            finally:
                if poller is not None:
                    poller.cancel()
                    with contextlib.suppress(asyncio.CancelledError, ProbeFailure):
                        await poller
    ended = time.time() * 1000.0
    recs = sorted(run.records, key=lambda r: r["t"])
    to_dt = lambda ms: datetime.fromtimestamp(ms / 1000.0, UTC)  # noqa: E731
    transcript = Transcript(
        tuple(Message(r["from"], to_dt(r["t"]), r["text"]) for r in recs),
        opened_at=to_dt(opened_ms) if opened_ms is not None else None,
        ended_at=to_dt(max([ended, *(r["t"] for r in recs)])) if outcome == "completed" else None,
    )
    return ChatProbeResult(
        outcome, reason, transcript, started, datetime.now(UTC), warnings=run.warnings
    )
