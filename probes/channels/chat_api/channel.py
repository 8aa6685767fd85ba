"""The chat-API channel: an operator's chat over the generic HTTP chat protocol
(docs/chat-probes.md). Agent messages come back by HMAC-signed webhook to
``/webhooks/chat/{run_id}`` (stored once per message id, then handed to the chat running in
this process) or by polling."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from probes.channels.base import (
    ChannelError,
    Env,
    Event,
    NotAuthentic,
    Request,
    Run,
    UnknownRun,
    Venue,
    Webhook,
)
from probes.channels.chat_api.client import ChatApiProfile, load_api_profile, run_api_chat
from probes.channels.chat_api.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    verify,
)
from probes.channels.chat_api.webhook import AgentMessage, WebhookInbox, parse_webhook_body
from probes.chat.channel import ChatProbe
from probes.chat.profile import CustomerScript, ProfileError
from probes.chat.result import ChatProbeResult

WEBHOOK_PATH = "/webhooks/chat"
_INBOXES: dict[int, WebhookInbox] = {}  # run id → the running API chat's inbox


class ChatApiProbe(ChatProbe):
    name: str = "chat_api"
    provider: str = "http"
    venue_kinds: tuple[str, ...] = ("chat_api",)
    webhooks: tuple[Webhook, ...] = (
        Webhook(
            WEBHOOK_PATH + "/{run_id:int}",
            "message",
            run="path",
            status_code=202,
            acknowledge=True,
            summary="Agent message for a chat-API probe (HMAC-SHA256 signed)",
        ),
    )

    def profile(self, venue: Venue) -> ChatApiProfile:
        try:
            return load_api_profile(self.venue_data(venue))
        except ProfileError as exc:
            raise self.profile_error(venue, exc) from exc

    def target(self, venue: Venue) -> str | None:
        return self.profile(venue).base_url

    async def chat(
        self, run: Run, script: CustomerScript, folder: Path, env: Env
    ) -> ChatProbeResult:
        assert run.venue is not None
        profile = self.profile(run.venue)
        if profile.mode != "webhook":
            return await run_api_chat(profile, script)
        assert profile.webhook_secret is not None
        inbox = _INBOXES[run.id] = WebhookInbox(profile.webhook_secret)
        url = f"{env.public_base_url.rstrip('/')}{WEBHOOK_PATH}/{run.id}"
        try:
            return await run_api_chat(profile, script, inbox=inbox, callback_url=url)
        finally:
            _INBOXES.pop(run.id, None)

    def authenticate(
        self, hook: Webhook, request: Request, run: Run | None, env: Env
    ) -> dict[str, Any]:
        """The signature is checked with the run's venue secret (seed: docs/chat-probes.md)."""
        if run is None or run.venue is None:
            raise UnknownRun(f"chat run {run.id if run else '?'} not found")
        profile = self.profile(run.venue)
        if not profile.webhook_secret:
            raise UnknownRun(f"chat run {run.id} takes no webhooks")
        lower = {k.lower(): v for k, v in request.headers.items()}
        try:
            verify(profile.webhook_secret, request.body, lower.get(TIMESTAMP_HEADER.lower()),
                   lower.get(SIGNATURE_HEADER.lower()))  # fmt: skip
        except SignatureError as exc:
            raise NotAuthentic(str(exc)) from exc
        try:
            data = parse_webhook_body(request.body)
        except ValueError as exc:
            raise ChannelError(str(exc)) from exc
        # Timing is measured on our clock: the moment the message arrived.
        return {**data, "received_at": datetime.now(UTC).isoformat()}

    def read_event(self, kind: str, params: Mapping[str, Any]) -> Event:
        if kind != "message":
            return super().read_event(kind, params)
        at = datetime.fromisoformat(str(params["received_at"]))
        key = f"message:{params['session_id']}:{params['message_id']}"
        return Event(key, kind, "message", at, dict(params), str(params["session_id"]))

    def deliver(self, run_id: int, event: Event) -> None:
        inbox = _INBOXES.get(run_id)
        if event.kind != "message" or inbox is None or inbox.listener is None:
            return
        p = event.params
        assert event.at is not None
        inbox.listener(
            AgentMessage(p["session_id"], p["message_id"], p["text"], event.at, p.get("at"))
        )


CHANNEL = ChatApiProbe()
