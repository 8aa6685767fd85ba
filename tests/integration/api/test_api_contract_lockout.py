"""The operations that could lock the test user out of a shared world keep the API contract too
(``contract.LOCKOUT``: revoking a token, changing a user's password, role or activity). Each
runs as the admin and as an operator user on a fresh database with fresh users, so whatever it
ends stays inside its own test; once the user has locked themselves out the remaining requests
are 401s, which the schema documents. Bounds and checks: ``contract.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis.python import asgi

from audit.core import build_app
from tests.integration.api.contract import (
    BOUNDS,
    LOCKOUT,
    ROLES,
    SCHEMA,
    call,
    locks_out,
    make_cast,
)

LOCKING = SCHEMA.include(func=locks_out)


@pytest.fixture
async def users(db: str) -> Any:
    return await make_cast(ROLES)


@pytest.fixture
def api(users: Any) -> Iterator[asgi.ASGIClient]:
    with asgi.get_client(build_app()) as client:
        yield client
    asgi.shutdown_lifespans()


def test_the_lockout_operations_exist() -> None:
    ops = {(op.method.upper(), op.path) for op in (r.ok() for r in LOCKING.get_all_operations())}
    assert ops == LOCKOUT


@LOCKING.parametrize()
@pytest.mark.parametrize("role", ROLES)
@BOUNDS
def test_lockout_operation_keeps_its_contract(
    case: schemathesis.Case, role: str, api: asgi.ASGIClient, users: Any
) -> None:
    call(case, api, users.tokens[role])
