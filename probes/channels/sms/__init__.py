"""SMS probes: a text message to a service number through Twilio Messaging, and the reply."""

from probes.channels.sms.channel import CHANNEL

__all__ = ["CHANNEL"]
