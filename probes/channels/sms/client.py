"""Twilio Messaging for SMS probes: send a message, read a message resource back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from probes.channels.twilio_shared import (
    AsyncHttpClient,
    ProbeCallError,
    TwilioAccount,
    classify,
    sdk_client,
)

_SM = re.compile(r"^(SM|MM)[0-9a-f]{32}$")


@dataclass(frozen=True)
class MessageInfo:
    sid: str
    status: str
    body: str
    from_: str
    to: str
    date_created: datetime | None
    date_sent: datetime | None
    error_code: int | None


class SmsClient:
    """``async with SmsClient(account) as sms``: the SDK's Messages resource."""

    def __init__(self, account: TwilioAccount, *, timeout_s: float = 30.0) -> None:
        self.account = account
        self.timeout_s = timeout_s
        self._client: Client | None = None
        self._http: AsyncHttpClient | None = None

    async def __aenter__(self) -> SmsClient:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._http is not None:
            await self._http.close()

    def _sdk(self) -> Client:
        if self._client is None:  # inside the running loop: aiohttp sessions belong to one
            self._client, self._http = sdk_client(self.account, self.timeout_s)
        return self._client

    async def send(self, to: str, from_: str, body: str, status_callback: str) -> str:
        """Create the message; its SID. ProbeCallError (permanent or not) when refused."""
        try:
            message = await self._sdk().messages.create_async(
                to=to, from_=from_, body=body, status_callback=status_callback
            )
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except (OSError, TimeoutError) as exc:
            raise ProbeCallError(
                f"cannot reach Twilio: {exc}", code=None, http_status=None, permanent=False
            ) from exc
        return str(message.sid or "")

    async def fetch(self, sid: str) -> MessageInfo:
        if not _SM.match(sid):
            raise ValueError(f"{sid!r} is not a message SID (SM + 32 hex digits)")
        try:
            m = await self._sdk().messages(sid).fetch_async()
        except TwilioRestException as exc:
            raise classify(exc) from exc
        return _info(m)

    async def replies(self, from_: str, to: str) -> list[MessageInfo]:
        """Messages ``from_`` sent to ``to`` (a reply whose webhook was lost)."""
        try:
            found = await self._sdk().messages.list_async(from_=from_, to=to, limit=50)
        except TwilioRestException as exc:
            raise classify(exc) from exc
        return [_info(m) for m in found]


def _info(m: Any) -> MessageInfo:
    status = m.status if isinstance(m.status, str) else getattr(m.status, "value", str(m.status))
    return MessageInfo(
        str(m.sid), str(status), str(m.body or ""), str(m.from_ or ""), str(m.to or ""),
        m.date_created, m.date_sent, int(m.error_code) if m.error_code else None,
    )  # fmt: skip
