"""Operators' webhook endpoints: registration (the secret shown once), the URL rules, and one
signed POST. Retries and the attempt log are the outbox's (``outbox.py``)."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from audit import clock
from audit.context import Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.delivery.config import DeliverySettings, get_delivery_settings
from audit.domain.delivery.signing import SIGNATURE_HEADER, new_secret, sign
from audit.domain.delivery.tables import WebhookEndpoint
from audit.errors import DomainError, NotFound

EVENT_TYPES = (
    "notice.issued",
    "finding.reminder",
    "finding.overdue",
    "dispute.decided",
    "finding.closed",
    "finding.reopened",
)
_FIELDS = (
    WebhookEndpoint.id,
    WebhookEndpoint.operator.as_alias("operator_id"),
    WebhookEndpoint.url,
    WebhookEndpoint.secret_hint,
    WebhookEndpoint.events,
    WebhookEndpoint.active,
    WebhookEndpoint.created_at,
    WebhookEndpoint.disabled_at,
)


def _is_private(host: str) -> bool:
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")
    return addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved


def check_url(url: str, settings: DeliverySettings | None = None) -> str:
    """An absolute https:// URL with a host, no credentials, not on a private address
    (unless AUDIT_WEBHOOK_ALLOW_PRIVATE). Raises DomainError naming ``url``."""
    settings = settings or get_delivery_settings()
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise DomainError("the webhook endpoint must be an https:// URL", field="url")
    if not parts.hostname:
        raise DomainError("the webhook URL has no host", field="url")
    if parts.username or parts.password:
        raise DomainError("the webhook URL must not carry credentials", field="url")
    if _is_private(parts.hostname) and not settings.webhook_allow_private:
        raise DomainError(f"{parts.hostname} is a private or local address", field="url")
    return url


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    if isinstance(row.get("events"), str):
        row["events"] = json.loads(row["events"])
    return row


async def register(operator_id: int, url: str, events: list[str], actor: Actor) -> dict[str, Any]:
    """A new endpoint; the returned dict carries ``secret`` — the only time it is shown."""
    url = check_url(url)
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        raise DomainError(f"unknown event types {unknown}; known: {EVENT_TYPES}", field="events")
    secret = new_secret()
    async with engine().transaction():
        rows = await WebhookEndpoint.insert(
            WebhookEndpoint(
                operator=operator_id,
                url=url,
                secret=secret,
                secret_hint=secret[:10],
                events=sorted(set(events)),
                active=True,
                created_by=actor.id,
                created_at=clock.now(),
            )
        ).returning(WebhookEndpoint.id)
        row = await get_endpoint(rows[0]["id"])
        await record(actor, "webhook.register", "webhook_endpoint", row["id"], None, row)
    return {**row, "secret": secret}


async def get_endpoint(endpoint_id: int) -> dict[str, Any]:
    row = await WebhookEndpoint.select(*_FIELDS).where(WebhookEndpoint.id == endpoint_id).first()
    if row is None:
        raise NotFound(f"webhook endpoint {endpoint_id} not found")
    return _decode(row)


async def list_endpoints(operator_id: int) -> list[dict[str, Any]]:
    rows = (
        await WebhookEndpoint.select(*_FIELDS)
        .where(WebhookEndpoint.operator == operator_id)
        .order_by(WebhookEndpoint.id)
    )
    return [_decode(r) for r in rows]


async def disable(endpoint_id: int, actor: Actor) -> dict[str, Any]:
    before = await get_endpoint(endpoint_id)
    async with engine().transaction():
        await WebhookEndpoint.update(
            {WebhookEndpoint.active: False, WebhookEndpoint.disabled_at: clock.now()}
        ).where(WebhookEndpoint.id == endpoint_id)
        after = await get_endpoint(endpoint_id)
        await record(actor, "webhook.disable", "webhook_endpoint", endpoint_id, before, after)
    return after


async def active_endpoints(operator_id: int, event: str) -> list[dict[str, Any]]:
    rows = await WebhookEndpoint.select(
        WebhookEndpoint.id, WebhookEndpoint.url, WebhookEndpoint.events
    ).where((WebhookEndpoint.operator == operator_id) & (WebhookEndpoint.active == True))  # noqa: E712
    return [r for r in map(_decode, rows) if not r["events"] or event in r["events"]]


async def secret_of(endpoint_id: int) -> str:
    row = (
        await WebhookEndpoint.select(WebhookEndpoint.secret)
        .where(WebhookEndpoint.id == endpoint_id)
        .first()
    )
    if row is None:
        raise NotFound(f"webhook endpoint {endpoint_id} not found")
    return str(row["secret"])


@dataclass(frozen=True)
class PostResult:
    ok: bool
    outcome: str  # ok | error | timeout
    status_code: int | None
    detail: str
    permanent: bool = False


def _ssl_context(settings: DeliverySettings) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if settings.webhook_ca_file is not None:
        ctx.load_verify_locations(cafile=str(settings.webhook_ca_file))
    return ctx


async def _resolves_private(host: str) -> bool:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except OSError:
        return False  # the POST reports the DNS failure
    return any(_is_private(str(info[4][0])) for info in infos)


async def post(
    url: str,
    secret: str,
    body: bytes,
    headers: dict[str, str],
    settings: DeliverySettings | None = None,
) -> PostResult:
    """One signed POST; never raises for the receiver's faults."""
    settings = settings or get_delivery_settings()
    host = urlsplit(url).hostname or ""
    if not settings.webhook_allow_private and (_is_private(host) or await _resolves_private(host)):
        return PostResult(False, "error", None, f"{host} resolves to a private address", True)
    # the real time, not the injectable clock: receivers check freshness against theirs
    timestamp = int(time.time())
    all_headers = {
        "Content-Type": "application/json",
        "User-Agent": "service-quality-audit-webhooks/1",
        SIGNATURE_HEADER: sign(secret, timestamp, body),
        **headers,
    }
    try:
        async with httpx.AsyncClient(
            verify=_ssl_context(settings),
            timeout=settings.webhook_timeout_s,
            follow_redirects=False,
        ) as client:
            response = await client.post(url, content=body, headers=all_headers)
    except httpx.TimeoutException as exc:
        return PostResult(False, "timeout", None, f"timed out: {type(exc).__name__}")
    except httpx.HTTPError as exc:
        return PostResult(False, "error", None, f"{type(exc).__name__}: {exc}"[:500])
    text = response.text[:300]
    if 200 <= response.status_code < 300:
        return PostResult(True, "ok", response.status_code, text)
    return PostResult(False, "error", response.status_code, f"HTTP {response.status_code}: {text}")
