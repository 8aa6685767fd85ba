"""Provider callbacks of every channel in the registry, served from the channel's own
``webhooks`` (path, event kind, where the run is named): authenticated by the channel, then
handed to the one lifecycle. Adding a channel adds its routes here without code.

Voice and chat keep their dedicated controllers (webhooks.py, chat_controllers.py: the
field checks their tests pin), so their paths are left out here.
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Request, Response, post
from litestar.handlers import HTTPRouteHandler

from audit.domain.probing import lifecycle
from audit.domain.probing.env import AppEnv
from audit.domain.probing.runs import find_run
from audit.domain.probing.webhooks import MAX_CALLBACK_BYTES, public_url
from audit.errors import DomainError, Forbidden, NotFound
from probes.channels.base import Channel, ChannelError, NotAuthentic, UnknownRun, Webhook
from probes.channels.base import Request as ChannelRequest
from probes.channels.registry import CHANNELS

log = structlog.get_logger("audit.probing.webhooks")
DEDICATED = ("/webhooks/twilio/status", "/webhooks/twilio/transcription", "/webhooks/chat/")
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
    if hook.run == "path":
        return int(request.path_params["run_id"])
    locate = getattr(channel, "locate", None)
    ref, match = locate(hook, params) if locate is not None else (None, {})
    run_id = await find_run(channel.name, ref, match)
    if run_id is None:
        raise NotFound(f"no {channel.name} run this callback belongs to")
    return run_id


def _route(channel: Channel, hook: Webhook) -> HTTPRouteHandler:
    async def handle(request: Request[Any, Any, Any]) -> Response[None]:
        body = await request.body()
        client = request.client.host if request.client else "?"
        if len(body) > MAX_CALLBACK_BYTES:
            raise Forbidden("webhook rejected: body too large")
        seen = ChannelRequest(public_url(request), dict(request.headers), body)
        try:
            params = channel.authenticate(hook, seen, None, AppEnv())
        except NotAuthentic as exc:
            log.warning("webhook rejected", channel=channel.name, reason=str(exc), client=client)
            raise Forbidden(f"webhook rejected: {exc}") from exc
        except UnknownRun as exc:
            raise NotFound(str(exc)) from exc
        except ChannelError as exc:
            raise DomainError(exc.message, field=exc.field) from exc
        run_id = await _run_of(channel, hook, request, params)
        await lifecycle.receive(run_id, channel, hook.kind, params)
        return Response(None, status_code=hook.status_code)

    handle.__name__ = f"{channel.name}_{hook.kind}_webhook"
    return post(
        hook.path,
        status_code=hook.status_code,
        name=f"webhook-{channel.name}-{hook.kind}",
        operation_id=f"webhook_{channel.name}_{hook.kind}",
        summary=f"{channel.name} {hook.kind} callback",
        tags=["webhooks"],
        include_in_schema=False,
    )(handle)


CHANNEL_WEBHOOKS = [
    _route(channel, hook)
    for channel in CHANNELS
    for hook in channel.webhooks
    if not hook.path.startswith(DEDICATED)
]
