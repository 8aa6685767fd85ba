"""The API keeps its contract (issue 16 item 21): schemathesis sends generated requests to every
operation of the OpenAPI schema, as the admin and as an operator user (bearer tokens), and
every answer must be no server error and conform to the schema (a documented status, its
content type, a body matching its schema). Bounds and checks: ``contract.py``.

One world (``tests/web_world.py``: the usual cast, venues, the shipped checklists, plans, an
inspection, probe runs, portal records) is built once for the module on an emptied database, so
requests meet real rows and not only 404s; this module's ``db`` fixture overrides the per-test
one for that. The two operations that could lock a user out of the shared world
(``contract.LOCKOUT``) run in ``test_api_contract_lockout.py``, each on a fresh database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
import schemathesis
from schemathesis.python import asgi

from audit.core import build_app
from tests.conftest import reset_database
from tests.integration.api.contract import BOUNDS, ROLES, SCHEMA, call, locks_out, make_cast

SHARED = SCHEMA.exclude(func=locks_out)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def db() -> AsyncIterator[str]:
    """This module's database: emptied once, then shared by every operation's test."""
    yield await reset_database()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(db: str) -> Any:
    from tests.web_world import build_world

    return await build_world(await make_cast())


@pytest.fixture(scope="module")
def api(world: Any) -> Iterator[asgi.ASGIClient]:
    """The app, started (lifespan) once for the module, reached in-process by schemathesis."""
    with asgi.get_client(build_app()) as client:
        yield client
    asgi.shutdown_lifespans()


@SHARED.parametrize()
@pytest.mark.parametrize("role", ROLES)
@BOUNDS
def test_operation_keeps_its_contract(
    case: schemathesis.Case, role: str, api: asgi.ASGIClient, world: Any
) -> None:
    response = call(case, api, world.cast.tokens[role])
    if case.operation.path != "/auth/login":  # wrong credentials there are a 401
        # the run stays meaningful: every request is the user's, none was turned away
        assert response.status_code != 401, f"{role} was not let in: {response.text[:200]}"
