"""Chat-API probes: an operator's chat over the generic HTTP chat protocol."""

from probes.channels.chat_api.channel import CHANNEL

__all__ = ["CHANNEL"]
