"""Chat probe runs as the API asks for them: start one against a web_chat / chat_api venue,
read one. Scoring a posted transcript is chat_transcripts.py.

A chat run is a run of the one lifecycle like any other (runs.py → lifecycle.py →
``probing.finish``): the registry picks the channel by the venue's kind
(``probes/channels/web_chat`` or ``chat_api``), the chat runs in this process and reports its
end (transcript, screenshots kept as evidence) as a ``session:ended`` event; chat-API agent
messages arrive as signed webhooks (channel_webhooks.py), stored once by message id. The
finish job computes the measures through the channel and judges the items through
``finish.bind_items``.

Outcomes (probes.chat.result): ``completed`` runs are scored (an agent who never answered is
a finding); ``target_unreachable`` ends the run ``completed`` with that outcome and no measures
(not scored); ``probe_error`` ends it ``probe_error`` with the reason.
"""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.probing import runs
from audit.domain.probing.access import check_readable, load_run
from audit.errors import DomainError, NotFound
from probes.channels.base import ChannelError
from probes.chat.channel import DEFAULT_SCRIPT
from probes.chat.channel import resolve_script as _resolve_script
from probes.chat.profile import CustomerScript

CHAT_VENUE_KINDS = ("web_chat", "chat_api")
__all__ = ["CHAT_VENUE_KINDS", "DEFAULT_SCRIPT", "get_chat_run", "resolve_script",
           "start_chat_run"]  # fmt: skip


def resolve_script(script: dict[str, Any] | None, script_id: str | None) -> CustomerScript:
    """A posted customer script, or a shipped one by id; DomainError naming the field."""
    try:
        return _resolve_script(script, script_id)
    except ChannelError as exc:
        raise DomainError(exc.message, field=exc.field) from exc


async def start_chat_run(
    actor: Actor,
    *,
    venue_id: int | None = None,
    inspection_id: int | None = None,
    plan_id: int | None = None,
    script: dict[str, Any] | None = None,
    script_id: str | None = None,
    wait: bool = False,
    campaign_run_id: int | None = None,
) -> dict[str, Any]:
    """Create a chat run for a web_chat/chat_api venue and start it; with ``wait`` answer
    once the chat is over and the run finished."""
    run = await runs.start_run(
        None, actor, venue_id=venue_id, inspection_id=inspection_id, plan_id=plan_id,
        options={"script": script, "script_id": script_id}, campaign_run_id=campaign_run_id,
        run_kind="chat", wait=wait,
    )  # fmt: skip
    return run


async def get_chat_run(run_id: int, actor: Actor) -> dict[str, Any]:
    run = await load_run(run_id)
    await check_readable(run, actor)
    if run["kind"] != "chat":
        raise NotFound(f"chat run {run_id} not found")
    return run
