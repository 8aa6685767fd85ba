"""The client's address, as the login throttle and the audit log see it.

Behind a reverse proxy every request comes from the proxy's address; the client's is in
``X-Forwarded-For``, which anyone can also write. Only proxies listed in
``AUDIT_TRUSTED_PROXIES`` (addresses or networks) are believed: starting from the peer, each
trusted hop's ``X-Forwarded-For`` entry names the previous hop, right to left, and the first
address that is not a trusted proxy is the client. Entries further left were written by the
client itself and are ignored — so rotating them changes nothing. With no trusted proxies the
peer address is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str | Iterable[str]) -> tuple[Network, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` → networks; raises ValueError naming the bad entry."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {part!r}") from exc
    return tuple(out)


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _forwarded_for(headers: Iterable[tuple[bytes, bytes]]) -> list[str]:
    entries: list[str] = []
    for name, value in headers:
        if name.lower() == b"x-forwarded-for":
            entries.extend(p.strip() for p in value.decode("latin-1").split(","))
    return [e for e in entries if e]


def client_address(scope: Any, networks: Sequence[Network]) -> str:
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if not networks or not _trusted(peer, networks):
        return peer
    hops = _forwarded_for(scope.get("headers") or [])
    address = peer
    for entry in reversed(hops):
        address = entry[:64]
        if not _trusted(entry, networks):
            return address
    return address  # every hop is a trusted proxy: the leftmost one is what we know
