"""Every role × every registry/accounts endpoint → the expected status.

``op_a`` is a user of operator A; "B" rows are operator B's records, which op_a must not see
(404, not 403: existence is not revealed — docs/security.md).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

ROLES = ["anon", "admin", "supervisor", "inspector1", "analyst", "op_a"]
_n = itertools.count()


def _expect(
    admin: int, supervisor: int, inspector: int, analyst: int, op_a: int, anon: int = 401
) -> dict[str, int]:
    return {
        "anon": anon,
        "admin": admin,
        "supervisor": supervisor,
        "inspector1": inspector,
        "analyst": analyst,
        "op_a": op_a,
    }


# (method, path, body factory, expectations); {A}/{B} operator ids, {vA}/{vB} venue ids, {u} a user id
MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("get", "/health", None, _expect(200, 200, 200, 200, 200, anon=200)),
    ("get", "/auth/me", None, _expect(200, 200, 200, 200, 200)),
    ("get", "/auth/tokens", None, _expect(200, 200, 200, 200, 200)),
    ("post", "/auth/tokens", lambda: {"name": "t"}, _expect(201, 201, 201, 201, 201)),
    ("get", "/users", None, _expect(200, 200, 403, 403, 403)),
    (
        "post",
        "/users",
        lambda: {"username": f"new{next(_n)}", "password": "long-enough-pw", "role": "analyst"},
        _expect(201, 403, 403, 403, 403),
    ),
    ("get", "/users/{u}", None, _expect(200, 200, 403, 403, 403)),
    ("patch", "/users/{u}", lambda: {"display_name": "x"}, _expect(200, 403, 403, 403, 403)),
    ("get", "/operators", None, _expect(200, 200, 200, 200, 200)),
    (
        "post",
        "/operators",
        lambda: {"name": f"新运营商{next(_n)}"},
        _expect(201, 201, 403, 403, 403),
    ),
    ("get", "/operators/{A}", None, _expect(200, 200, 200, 200, 200)),
    ("get", "/operators/{B}", None, _expect(200, 200, 200, 200, 404)),
    ("patch", "/operators/{A}", lambda: {"contacts": []}, _expect(200, 200, 403, 403, 403)),
    ("get", "/operators/{A}/venues", None, _expect(200, 200, 200, 200, 200)),
    ("get", "/operators/{B}/venues", None, _expect(200, 200, 200, 200, 404)),
    (
        "post",
        "/operators/{A}/venues",
        lambda: {"kind": "hotline", "name": "h"},
        _expect(201, 201, 403, 403, 403),
    ),
    ("get", "/venues/{vA}", None, _expect(200, 200, 200, 200, 200)),
    ("get", "/venues/{vB}", None, _expect(200, 200, 200, 200, 404)),
    ("patch", "/venues/{vB}", lambda: {"name": "n"}, _expect(200, 200, 403, 403, 403)),
    ("get", "/regions", None, _expect(200, 200, 200, 200, 200)),
    ("get", "/regions/110000", None, _expect(200, 200, 200, 200, 200)),
    ("get", "/audit-log", None, _expect(200, 200, 403, 403, 403)),
]


@pytest.mark.parametrize("role", ROLES)
async def test_access_matrix(client: Any, cast: Any, role: str) -> None:
    from audit.context import SYSTEM
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue

    va = await create_venue(cast.operator_a["id"], VenueIn(kind="hotline", name="A热线"), SYSTEM)
    vb = await create_venue(cast.operator_b["id"], VenueIn(kind="hotline", name="B热线"), SYSTEM)
    ids = {
        "A": cast.operator_a["id"],
        "B": cast.operator_b["id"],
        "vA": va["id"],
        "vB": vb["id"],
        "u": cast.users["analyst"]["id"],
    }
    headers = {} if role == "anon" else cast.headers(role)
    failures = []
    for method, path, body, expected in MATRIX:
        url = path.format(**ids)
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["json"] = body()
        r = await getattr(client, method)(url, **kwargs)
        if r.status_code != expected[role]:
            failures.append(
                f"{method.upper()} {url}: {r.status_code} != {expected[role]} ({r.text[:120]})"
            )
    assert not failures, "\n".join(failures)
