"""Provider callbacks of every channel in the registry, served from the channel's own
``webhooks`` (path, event kind, where the run is named): authenticated by the channel, then
handed to the one lifecycle. Adding a channel adds its routes here without code. A callback
naming its run in the path is checked against that run (a chat-API venue's secret); a
repeat is acknowledged and stored nothing.

Voice keeps its dedicated controller (webhooks.py: the field checks its tests pin), so its
paths are left out here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from litestar import Request, Response, post
from litestar.handlers import HTTPRouteHandler

from audit.api import Id
from audit.domain.probing import lifecycle
from audit.domain.probing.env import AppEnv
from audit.domain.probing.runs import channel_run, find_run
from audit.domain.probing.webhooks import MAX_CALLBACK_BYTES, public_url
from audit.errors import DomainError, Forbidden, NotFound
from probes.channels.base import Channel, ChannelError, NotAuthentic, Run, UnknownRun, Webhook
from probes.channels.base import Request as ChannelRequest
from probes.channels.registry import CHANNELS

log = structlog.get_logger("audit.probing.webhooks")
Ack = dict[str, Any]  # {"detail", "duplicate"}
DEDICATED = ("/webhooks/twilio/status", "/webhooks/twilio/transcription")
_MAX_RUN = 2_147_483_647


def _run_from_query(request: Request[Any, Any, Any]) -> int:
    raw = request.query_params.get("run", "")
    if not raw.isdigit() or not 0 < int(raw) <= _MAX_RUN:
        raise DomainError("the callback URL names no probe run", field="run")
    return int(raw)


async def _run_of(
    channel: Channel, hook: Webhook, request: Request[Any, Any, Any], params: dict[str, Any]
) -> int:
    if hook.run == "query":
        return _run_from_query(request)
    locate = getattr(channel, "locate", None)
    ref, match = locate(hook, params) if locate is not None else (None, {})
    run_id = await find_run(channel.name, ref, match)
    if run_id is None:
        raise NotFound(f"no {channel.name} run this callback belongs to")
    return run_id


async def _receive(
    channel: Channel, hook: Webhook, request: Request[Any, Any, Any], run_id: int | None
) -> bool:
    """Authenticate the callback and hand it to the lifecycle; False: a repeat. ``run_id``:
    named by the path (validated by its ``Id`` type)."""
    body = await request.body()
    client = request.client.host if request.client else "?"
    if len(body) > MAX_CALLBACK_BYTES:
        raise Forbidden("webhook rejected: body too large")
    seen = ChannelRequest(public_url(request), dict(request.headers), body)
    run: Run | None = None
    if run_id is not None:
        run = await channel_run(run_id, channel)
    try:
        params = channel.authenticate(hook, seen, run, AppEnv())
    except NotAuthentic as exc:
        log.warning("webhook rejected", channel=channel.name, reason=str(exc), client=client)
        raise Forbidden(f"webhook rejected: {exc}") from exc
    except UnknownRun as exc:
        raise NotFound(str(exc)) from exc
    except ChannelError as exc:
        raise DomainError(exc.message, field=exc.field) from exc
    run_id = run.id if run is not None else await _run_of(channel, hook, request, params)
    return await lifecycle.receive(run_id, channel, hook.kind, params)


def _route(channel: Channel, hook: Webhook) -> HTTPRouteHandler:
    async def answer(request: Request[Any, Any, Any], run_id: int | None) -> Response[Any]:
        new = await _receive(channel, hook, request, run_id)
        if not hook.acknowledge:
            return Response(None, status_code=hook.status_code)
        if not new:
            return Response({"detail": "duplicate ignored", "duplicate": True}, status_code=200)
        return Response({"detail": "accepted", "duplicate": False}, status_code=hook.status_code)

    # Litestar reads the handler's signature: the run id as a typed path parameter (bounded in
    # the schema, 400 when out of range), a body or none as the hook answers.
    handle: Callable[..., Awaitable[Any]]
    if hook.run == "path" and hook.acknowledge:

        async def acked_in_path(run_id: Id, request: Request[Any, Any, Any]) -> Response[Ack]:
            return await answer(request, run_id)

        handle = acked_in_path
    elif hook.run == "path":

        async def empty_in_path(run_id: Id, request: Request[Any, Any, Any]) -> None:
            await answer(request, run_id)

        handle = empty_in_path
    elif hook.acknowledge:

        async def acked(request: Request[Any, Any, Any]) -> Response[Ack]:
            return await answer(request, None)

        handle = acked
    else:

        async def empty(request: Request[Any, Any, Any]) -> None:
            await answer(request, None)

        handle = empty

    documented: dict[str, Any] = {}
    if hook.summary is None:
        handle.__name__ = f"{channel.name}_{hook.kind}_webhook"
        documented = {"operation_id": f"webhook_{channel.name}_{hook.kind}",
                      "summary": f"{channel.name} {hook.kind} callback"}  # fmt: skip
    else:  # Litestar names the operation from the path and the handler
        handle.__name__ = hook.kind
        documented = {"summary": hook.summary}
    return post(
        hook.path,
        status_code=hook.status_code,
        name=f"webhook-{channel.name}-{hook.kind}",
        tags=["webhooks"],
        include_in_schema=hook.summary is not None,
        **documented,
    )(handle)


CHANNEL_WEBHOOKS = [
    _route(channel, hook)
    for channel in CHANNELS
    for hook in channel.webhooks
    if not hook.path.startswith(DEDICATED)
]
