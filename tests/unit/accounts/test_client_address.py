"""The client address behind trusted proxies only (audit/domain/accounts/clientaddr.py)."""

from __future__ import annotations

import pytest

from audit.domain.accounts.clientaddr import client_address, parse_networks


def _scope(peer: str, *xff: str) -> dict[str, object]:
    return {"client": (peer, 1), "headers": [(b"x-forwarded-for", v.encode()) for v in xff]}


TRUSTED = parse_networks("10.0.0.0/8, 127.0.0.1")


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (_scope("203.0.113.1", "1.1.1.1"), "203.0.113.1"),  # untrusted peer: header ignored
        (_scope("10.0.0.5", "1.1.1.1, 203.0.113.1"), "203.0.113.1"),  # client-written ignored
        (_scope("10.0.0.5", "1.1.1.1", "203.0.113.1, 10.0.0.9"), "203.0.113.1"),  # two hops
        (_scope("10.0.0.5"), "10.0.0.5"),  # a trusted peer without the header
        (_scope("10.0.0.5", "10.1.1.1"), "10.1.1.1"),  # every hop trusted: the leftmost
        (_scope("127.0.0.1", "garbage"), "garbage"),  # what the proxy saw, as it said
    ],
)
def test_resolution(scope: dict[str, object], expected: str) -> None:
    assert client_address(scope, TRUSTED) == expected


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert client_address(_scope("127.0.0.1", "1.1.1.1"), ()) == "127.0.0.1"


def test_a_bad_setting_names_the_entry() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks("10.0.0.0/8, 10.0.0.300")
