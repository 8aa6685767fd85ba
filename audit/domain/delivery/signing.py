"""The webhook signature: HMAC-SHA256 over ``"<timestamp>." + body`` with the endpoint's
secret, sent as ``X-Audit-Signature: t=<unix seconds>,v1=<hex>`` (docs/portal.md shows how a
receiver checks it). Pure functions, so the receiver simulator and tests use the same code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-Audit-Signature"
TOLERANCE_S = 300  # receivers should refuse older timestamps (replays)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, header: str, body: bytes, now: float | None = None, tolerance_s: int = TOLERANCE_S
) -> bool:
    """True when ``header`` is a valid, fresh signature of ``body``."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
