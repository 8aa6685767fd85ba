"""HTTP face of the simulator: the slice of Twilio's 2010-04-01 REST API that probes use.

Same URL shapes as ``api.twilio.com`` (``/2010-04-01/Accounts/{AccountSid}/Calls.json`` …),
form-encoded requests, HTTP basic auth with account SID and auth token, JSON bodies and
Twilio's error document ``{code, message, more_info, status}``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from typing import Annotated, Any
from urllib.parse import parse_qs

from litestar import Litestar, Request, Response, get, post
from litestar.exceptions import MethodNotAllowedException, NotFoundException
from litestar.params import PathParameter
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from probes.twilio_sim import messaging
from probes.twilio_sim.engine import ApiError, Exchange, Simulator
from probes.twilio_sim.resources import error_body, page

PREFIX = "/2010-04-01/Accounts/{account_sid:str}"
Sid = Annotated[str, PathParameter(max_length=64)]
Res = Annotated[str, PathParameter(max_length=80)]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response[bytes]:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _error(code: int, **fmt: str) -> Response[bytes]:
    status, body = error_body(code, **fmt)
    headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if status == 401 else None
    return _json(body, status, headers)


def _sim(request: Request[Any, Any, Any]) -> Simulator:
    sim: Simulator = request.app.state.simulator
    return sim


def _authorised(request: Request[Any, Any, Any], account_sid: Sid) -> bool:
    cfg = _sim(request).config
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return (
        hmac.compare_digest(user, cfg.account_sid)
        and hmac.compare_digest(password, cfg.auth_token)
        and account_sid == cfg.account_sid
    )


def _split(resource: Res, allowed: tuple[str, ...]) -> tuple[str, str]:
    sid, dot, ext = resource.partition(".")
    if dot and ext not in allowed:
        raise ApiError(20404)
    return sid, ext if dot else ""


@post(PREFIX + "/Calls.json", status_code=201)
async def create_call(request: Request[Any, Any, Any], account_sid: Sid) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    body = (await request.body()).decode("utf-8", "replace")
    params = parse_qs(body, keep_blank_values=True)
    try:
        call = await _sim(request).create_call(params)
    except ApiError as exc:
        return _error(exc.code, **exc.fmt)
    return _json(call.as_json(), 201)


@get(PREFIX + "/Calls.json")
async def list_calls(request: Request[Any, Any, Any], account_sid: Sid) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    sim = _sim(request)
    calls = list(sim.calls.values())
    to = request.query_params.get("To")
    status = request.query_params.get("Status")
    items = [
        c.as_json() for c in calls if (to is None or c.to == to) and (status in (None, c.status))
    ]
    return _json(page("calls", items, request.url.path))


@get(PREFIX + "/Calls/{resource:str}")
async def fetch_call(
    request: Request[Any, Any, Any], account_sid: Sid, resource: Res
) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    sid, _ = _split(resource, ("json",))
    call = _sim(request).calls.get(sid)
    if call is None:
        return _error(20404, path=request.url.path)
    return _json(call.as_json())


@get(PREFIX + "/Calls/{call_sid:str}/Recordings.json")
async def list_call_recordings(
    request: Request[Any, Any, Any], account_sid: Sid, call_sid: Sid
) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    call = _sim(request).calls.get(call_sid)
    if call is None:
        return _error(20404, path=request.url.path)
    items = [call.recording.as_call_recording()] if call.recording else []
    return _json(page("recordings", items, request.url.path))


@get(PREFIX + "/Calls/{call_sid:str}/Recordings/{resource:str}")
async def fetch_call_recording(
    request: Request[Any, Any, Any], account_sid: Sid, call_sid: Sid, resource: Res
) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    sid, _ = _split(resource, ("json",))
    rec = _sim(request).recordings.get(sid)
    if rec is None or rec.call_sid != call_sid:
        return _error(20404, path=request.url.path)
    return _json(rec.as_call_recording())


@get(PREFIX + "/Recordings.json")
async def list_recordings(request: Request[Any, Any, Any], account_sid: Sid) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    sim = _sim(request)
    call_sid = request.query_params.get("CallSid")
    items = [
        r.as_recording(sim.base_url)
        for r in sim.recordings.values()
        if call_sid is None or r.call_sid == call_sid
    ]
    return _json(page("recordings", items, request.url.path))


@get(PREFIX + "/Recordings/{resource:str}")
async def fetch_recording(
    request: Request[Any, Any, Any], account_sid: Sid, resource: Res
) -> Response[bytes]:
    sim = _sim(request)
    sid, ext = _split(resource, ("json", "wav"))
    # Media URLs are public on Twilio unless "HTTP auth for media" is on; the simulator
    # enforces it by default, as a regulator's deployment should.
    if (ext == "json" or sim.config.media_requires_auth) and not _authorised(request, account_sid):
        return _error(20003)
    rec = sim.recordings.get(sid)
    if rec is None or rec.account_sid != account_sid:
        return _error(20404, path=request.url.path)
    if ext == "json":
        return _json(rec.as_recording(sim.base_url))
    # Twilio serves dual-channel recordings mixed to mono unless RequestedChannels=2.
    wants_two = request.query_params.get("RequestedChannels") == "2"
    body = rec.wav_dual if wants_two and rec.channels == 2 else rec.wav_mono
    return Response(body, media_type="audio/x-wav")


@post(PREFIX + "/Messages.json", status_code=201)
async def create_message(request: Request[Any, Any, Any], account_sid: Sid) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    body = (await request.body()).decode("utf-8", "replace")
    try:
        message = await messaging.create_message(_sim(request), parse_qs(body))
    except ApiError as exc:
        return _error(exc.code, **exc.fmt)
    return _json(message.as_json(), 201)


@get(PREFIX + "/Messages.json")
async def list_messages(request: Request[Any, Any, Any], account_sid: Sid) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    to, from_ = request.query_params.get("To"), request.query_params.get("From")
    items = [
        m.as_json() for m in _sim(request).messages.values()
        if (to is None or m.to == to) and (from_ is None or m.from_ == from_)
    ]  # fmt: skip
    return _json(page("messages", items, request.url.path))


@get(PREFIX + "/Messages/{resource:str}")
async def fetch_message(
    request: Request[Any, Any, Any], account_sid: Sid, resource: Res
) -> Response[bytes]:
    if not _authorised(request, account_sid):
        return _error(20003)
    sid, _ = _split(resource, ("json",))
    message = _sim(request).messages.get(sid)
    if message is None:
        return _error(20404, path=request.url.path)
    return _json(message.as_json())


def _not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    if isinstance(exc, MethodNotAllowedException):
        return _json(
            {
                "code": 20004,
                "message": "Method not allowed",
                "more_info": "https://www.twilio.com/docs/errors/20004",
                "status": 405,
            },
            405,
        )
    return _error(20404, path=request.url.path)


def _api_error(request: Request[Any, Any, Any], exc: ApiError) -> Response[bytes]:
    return _error(exc.code, path=request.url.path, **exc.fmt)


def create_app(simulator: Simulator) -> ASGIApp:
    app = Litestar(
        route_handlers=[
            create_call,
            list_calls,
            fetch_call,
            list_call_recordings,
            fetch_call_recording,
            list_recordings,
            fetch_recording,
            create_message,
            list_messages,
            fetch_message,
        ],
        exception_handlers={
            NotFoundException: _not_found,
            MethodNotAllowedException: _not_found,
            ApiError: _api_error,
        },
        on_shutdown=[simulator.close],
        openapi_config=None,
        debug=False,
    )
    app.state.simulator = simulator
    if simulator.config.record_exchanges:
        return _Recorder(app, simulator)
    return app


class _Recorder:
    """ASGI wrapper that keeps every request/response pair for the conformance walk."""

    def __init__(self, app: ASGIApp, simulator: Simulator) -> None:
        self.app = app
        self.simulator = simulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_body = bytearray()
        response: dict[str, Any] = {"body": bytearray()}

        async def rx() -> ReceiveMessage:
            message = await receive()
            if message["type"] == "http.request":
                request_body.extend(message.get("body", b""))
            return message

        async def tx(message: Any) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
                response["content_type"] = headers.get("content-type", "")
            elif message["type"] == "http.response.body":
                response["body"].extend(message.get("body", b""))
            await send(message)

        await self.app(scope, rx, tx)
        req_headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.simulator.exchanges.append(
            Exchange(
                method=str(scope.get("method", "")),
                path=scope["path"],
                query=scope.get("query_string", b"").decode(),
                request_body=bytes(request_body),
                request_content_type=req_headers.get("content-type", ""),
                status=response.get("status", 0),
                content_type=response.get("content_type", ""),
                body=bytes(response["body"]),
            )
        )
