"""Chat probes: a real browser on an operator's web chat, or a generic chat-API client."""
