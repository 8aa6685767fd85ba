"""Twilio webhooks: status callbacks and real-time transcription callbacks.

Each request must carry a valid ``X-Twilio-Signature`` for the exact URL Twilio requested,
which is our *public* URL (``AUDIT_PUBLIC_BASE_URL``, so it also holds behind a proxy that
rewrites host, scheme or port) plus path and query. Missing or invalid ⇒ 403 and a log line.
The run is named in the URL (``?run=ID``) we gave Twilio, so a callback that outruns the
create-call response still finds its run.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import structlog
from litestar import Controller, Request, post
from litestar.status_codes import HTTP_204_NO_CONTENT
from twilio.request_validator import RequestValidator

from audit.domain.probing.callbacks import receive_callback
from audit.domain.probing.telephony import TelephonyNotConfigured, current_account
from audit.errors import DomainError, Forbidden
from audit.settings import get_settings
from probes.analysis.answer import CALL_STATUSES

log = structlog.get_logger("audit.probing.webhooks")
MAX_CALLBACK_BYTES = 64 * 1024
_EVENT_NAME = re.compile(r"^[a-z][a-z_-]{0,39}$")
_SID = re.compile(r"^[A-Za-z0-9]{0,64}$")


def public_url(request: Request[Any, Any, Any]) -> str:
    # The path as sent on the wire (not percent-decoded): the signature covers those bytes.
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"").decode("latin-1")
    base = get_settings().public_base_url.rstrip("/")
    return base + raw.decode("latin-1") + (f"?{query}" if query else "")


def check_params(kind: str, params: dict[str, str]) -> None:
    """Refuse (400, nothing stored) a signed callback the run could not use: an unknown or
    oversized status, an unreadable event name or CallSid, a NUL anywhere. Stored, one such
    event would make every later callback of the run fail its analysis."""
    if any("\x00" in k or "\x00" in v for k, v in params.items()):
        raise DomainError("callback parameters must not contain NUL characters", field="body")
    if kind == "status":
        status = params.get("CallStatus", "")
        if status not in CALL_STATUSES:
            known = ", ".join(sorted(CALL_STATUSES))
            raise DomainError(f"unknown CallStatus {status[:40]!r} (known: {known})", "CallStatus")
    elif not _EVENT_NAME.match(params.get("TranscriptionEvent", "")):
        raise DomainError("TranscriptionEvent is not an event name", field="TranscriptionEvent")
    if not _SID.match(params.get("CallSid", "")):
        raise DomainError("CallSid must be at most 64 letters and digits", field="CallSid")


def _forbidden(request: Request[Any, Any, Any], why: str) -> Forbidden:
    client = request.client.host if request.client else "?"
    log.warning("twilio webhook rejected", reason=why, path=request.url.path, client=client)
    return Forbidden(f"webhook rejected: {why}")


async def _handle(request: Request[Any, Any, Any], kind: str) -> None:
    body = await request.body()
    if len(body) > MAX_CALLBACK_BYTES:
        raise _forbidden(request, "body too large")
    signature = request.headers.get("x-twilio-signature")
    if not signature:
        raise _forbidden(request, "missing X-Twilio-Signature")
    params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        token = current_account().auth_token
    except TelephonyNotConfigured:
        raise _forbidden(request, "no Twilio account configured") from None
    if not RequestValidator(token).validate(public_url(request), params, signature):
        raise _forbidden(request, "invalid X-Twilio-Signature")
    raw_run = request.query_params.get("run", "")
    if not raw_run.isdigit() or not 0 < int(raw_run) <= 2_147_483_647:
        raise DomainError("the callback URL names no probe run", field="run")
    run_id = int(raw_run)
    try:
        check_params(kind, params)
    except DomainError as exc:
        log.warning("twilio webhook refused", reason=exc.message, run=run_id, field=exc.field)
        raise
    await receive_callback(run_id, kind, params)


class TwilioWebhookController(Controller):
    """Public routes (no login): authenticity comes from the signature."""

    path = "/webhooks/twilio"
    tags = ["webhooks"]
    include_in_schema = True

    @post("/status", status_code=HTTP_204_NO_CONTENT, summary="Twilio call status callback")
    async def status(self, request: Request[Any, Any, Any]) -> None:
        await _handle(request, "status")

    @post(
        "/transcription", status_code=HTTP_204_NO_CONTENT, summary="Twilio transcription callback"
    )
    async def transcription(self, request: Request[Any, Any, Any]) -> None:
        await _handle(request, "transcription")
