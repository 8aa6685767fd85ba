"""Voice probes: a silent call through Twilio (or the local Twilio simulator)."""

from probes.channels.voice.channel import CHANNEL

__all__ = ["CHANNEL"]
