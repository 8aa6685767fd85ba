"""Web-chat probes: a browser on the operator's chat page."""

from probes.channels.web_chat.channel import CHANNEL

__all__ = ["CHANNEL"]
