"""Twilio plumbing the voice and SMS channels share: the account, the SDK's async HTTP
client, and Twilio error codes mapped to permanent or transient probe errors.

The SDK can be pointed at the local simulator (``probes/twilio_sim``) by its API base URL;
the same code path then talks to Twilio or to the simulator.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from probes.channels.base import NotAuthentic, ProbeError, Request, Simulator, SimulatorHandle
from probes.twilio_sim import SimulatorConfig, launch_simulator, load_demo_scenarios, load_scenarios

TWILIO_API = "https://api.twilio.com"

# Twilio error codes that no retry can fix (seed: the "permanent ones stop retries").
PERMANENT_CODES = {
    20003: "authentication failed (account SID / auth token)",
    20404: "resource not found",
    21201: "no 'To' number",
    21205: "no TwiML or URL",
    21211: "invalid 'To' phone number",
    21212: "invalid 'From' phone number",
    21213: "no 'From' number",
    21214: "'To' number cannot be reached",
    21215: "geographic permission does not allow the call",
    21216: "number is on Twilio's block list",
    12100: "TwiML could not be parsed",
    20001: "unknown or invalid parameter",
}
TRANSIENT_CODES = {20429: "rate limited (too many requests)"}


class ProbeCallError(ProbeError):
    """A telephony request failed. ``code`` is Twilio's error code when Twilio gave one."""

    def __init__(
        self, message: str, *, code: int | None, http_status: int | None, permanent: bool
    ) -> None:
        super().__init__(message, code=code, permanent=permanent)
        self.http_status = http_status


def classify(exc: TwilioRestException) -> ProbeCallError:
    """Map an SDK error to :class:`ProbeCallError` with a permanent/transient verdict."""
    code = int(exc.code) if isinstance(exc.code, int) else None
    status = int(exc.status)
    if code in PERMANENT_CODES:
        permanent = True
    elif code in TRANSIENT_CODES or status == 429 or status >= 500:
        permanent = False
    else:
        permanent = 400 <= status < 500
    text = PERMANENT_CODES.get(code or 0) or TRANSIENT_CODES.get(code or 0) or "Twilio error"
    return ProbeCallError(
        f"Twilio {code or status}: {text}: {exc.msg}",
        code=code,
        http_status=status,
        permanent=permanent,
    )


@dataclass(frozen=True)
class TwilioAccount:
    """Credentials and endpoint. ``api_base_url`` None means the real ``api.twilio.com``."""

    account_sid: str
    auth_token: str
    api_base_url: str | None = None

    @property
    def base_url(self) -> str:
        return (self.api_base_url or TWILIO_API).rstrip("/")


def sdk_client(account: TwilioAccount, timeout_s: float) -> tuple[Client, AsyncHttpClient]:
    """A twilio SDK client for ``account`` (created inside the running loop: aiohttp sessions
    belong to a loop); close the HTTP client when done."""
    http = AsyncHttpClient(timeout=timeout_s)
    client = Client(account.account_sid, account.auth_token, http_client=http)
    if account.api_base_url:
        client.api.base_url = account.base_url
    return client, http


class AsyncHttpClient(AsyncTwilioHttpClient):
    """The SDK's async client, sending basic auth as a header.

    twilio 9.13 passes ``aiohttp.BasicAuth``, deprecated since aiohttp 3.14 (a warning on
    every request, an error under our test settings); the request is otherwise the same.
    """

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        headers = dict(headers or {})
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        return await super().request(
            method, url, params, data, headers, None, timeout, allow_redirects
        )


def media_error(status: int, body: bytes) -> ProbeCallError:
    code: int | None = None
    message = body.decode("utf-8", "replace")
    try:
        doc = json.loads(body)
        code = int(doc.get("code")) if doc.get("code") is not None else None
        message = str(doc.get("message", message))
    except (ValueError, TypeError, AttributeError):
        pass
    exc = TwilioRestException(status, "recording media", message, code)
    return classify(exc)


def start_local_twilio(options: Mapping[str, Any]) -> SimulatorHandle:
    """The local Twilio simulator with the demo contact centres (or ``options["scenarios"]``,
    a scenario file), at ``options["time_scale"]`` (default 0.25: a 40 s call takes 10 s;
    callback timestamps stay in simulated seconds). Credentials are random per start."""
    path = options.get("scenarios")
    scenarios = load_scenarios(path) if path else load_demo_scenarios()
    account_sid = "AC" + secrets.token_hex(16)
    token = secrets.token_hex(16)
    running = launch_simulator(
        SimulatorConfig(
            account_sid,
            token,
            scenarios,
            time_scale=float(options.get("time_scale", 0.25)),
            media_requires_auth=True,
        )
    )
    senders = tuple(options.get("senders") or ()) or (DEMO_CALLER_ID,)
    account = TwilioAccount(account_sid, token, running.base_url)
    return SimulatorHandle("twilio", account, senders, running.stop, running.base_url)


DEMO_CALLER_ID = "+861055550000"
TWILIO_SIMULATOR = Simulator(key="twilio", start=start_local_twilio)


def twilio_params(request: Request, account: TwilioAccount) -> dict[str, Any]:
    """Form parameters of a Twilio callback whose ``X-Twilio-Signature`` holds for the exact
    public URL Twilio requested (voice and SMS)."""
    signature = request.headers.get("x-twilio-signature")
    if not signature:
        raise NotAuthentic("missing X-Twilio-Signature")
    params = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    if not RequestValidator(account.auth_token).validate(request.url, params, signature):
        raise NotAuthentic("invalid X-Twilio-Signature")
    return params
