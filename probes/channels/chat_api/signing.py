"""HMAC-SHA256 signatures for chat webhooks (our generic chat-API protocol, docs/chat-probes.md).

The sender puts the Unix time in ``X-Chat-Timestamp`` and
``sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`` in ``X-Chat-Signature``. Signing
the timestamp with the body stops an old delivery from being replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Chat-Signature"
TIMESTAMP_HEADER = "X-Chat-Timestamp"
MAX_SKEW_S = 300.0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    ts = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: ts,
        SIGNATURE_HEADER: sign(secret, ts, body),
    }


class SignatureError(ValueError):
    """The webhook is not signed by the holder of the shared secret (or is stale)."""


def verify(
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    now: float | None = None,
    max_skew_s: float = MAX_SKEW_S,
) -> None:
    """Raise :class:`SignatureError` unless the signature and timestamp are good."""
    if not timestamp or not signature:
        raise SignatureError(f"missing {TIMESTAMP_HEADER} or {SIGNATURE_HEADER} header")
    try:
        ts = int(timestamp)
    except ValueError:
        raise SignatureError(f"{TIMESTAMP_HEADER} is not a Unix time") from None
    current = now if now is not None else time.time()
    if abs(current - ts) > max_skew_s:
        raise SignatureError(f"{TIMESTAMP_HEADER} is more than {max_skew_s:.0f} s off")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        raise SignatureError("signature does not match")
