"""The channel registry: every probe channel, and which venue kinds each one probes.

Adding a channel is a folder ``probes/channels/<kind>/`` exporting ``CHANNEL`` plus its line
here; nothing else in ``probes`` or ``audit`` names a channel.
"""

from __future__ import annotations

from probes.channels import chat_api, sms, voice, web_chat
from probes.channels.base import Channel

CHANNELS: tuple[Channel, ...] = (
    voice.CHANNEL,
    web_chat.CHANNEL,
    chat_api.CHANNEL,
    sms.CHANNEL,
)


def _by_venue_kind() -> dict[str, Channel]:
    out: dict[str, Channel] = {}
    for channel in CHANNELS:
        for kind in channel.venue_kinds:
            if kind in out:
                raise RuntimeError(f"venue kind {kind!r}: both {out[kind].name} and {channel.name}")
            out[kind] = channel
    return out


BY_NAME: dict[str, Channel] = {c.name: c for c in CHANNELS}
BY_VENUE_KIND: dict[str, Channel] = _by_venue_kind()


def channel(name: str) -> Channel:
    """The channel called ``name``; KeyError names the known ones."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no probe channel {name!r}; known: {sorted(BY_NAME)}") from None


def for_venue_kind(kind: str) -> Channel | None:
    return BY_VENUE_KIND.get(kind)


def probe_kinds() -> tuple[str, ...]:
    """Every campaign probe kind some channel serves, in registry order."""
    return tuple(dict.fromkeys(k for c in CHANNELS for k in c.probe_kinds))


def for_probe_kind(kind: str) -> tuple[Channel, ...]:
    return tuple(c for c in CHANNELS if kind in c.probe_kinds)
