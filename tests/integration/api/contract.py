"""What the schemathesis runs share (``test_api_contract.py``, ``test_api_contract_lockout.py``):
the schema the app serves, the bounds, the checks, and the test users.

Bounds, so ``make test`` stays fast: seed 16, deterministic (no example database), at most 5
generated requests per operation and user (``AUDIT_TEST_CONTRACT_EXAMPLES=N`` for a deeper
run by hand); the examples and fuzzing phases run (valid and
invalid data), the coverage and stateful phases are off; no Hypothesis deadline (the machine is
shared and slow; time is measured in bench/, never asserted).

Checks: no server error, a documented status code, the documented content type (named once,
one charset), a body matching the documented schema, headers matching the documented ones.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audit.core import build_app
from tests.conftest import CAST_PASSWORD, CAST_ROLES, Cast

EXAMPLES = int(os.environ.get("AUDIT_TEST_CONTRACT_EXAMPLES", "5"))
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 16,
        "generation": {"max-examples": EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
BOUNDS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
ROLES = ("admin", "op_a")  # op_a: a user of operator A

# Operations that could lock the test user out of a world shared by every operation: the admin
# revoking their own token; the admin giving themselves (or any user) a new password or
# deactivating them, which ends that user's tokens (issue 16 item 13).
LOCKOUT = frozenset({("DELETE", "/auth/tokens/{token_id}"), ("PATCH", "/users/{user_id}")})

# The schema as the app serves it at /schema/openapi.json, loaded at import: the pytest plugin
# parametrizes at collection time.
SCHEMA = schemathesis.openapi.from_dict(build_app().openapi_schema.to_schema(), config=CONFIG)


def locks_out(ctx: Any) -> bool:
    return (ctx.operation.method.upper(), ctx.operation.path) in LOCKOUT


def one_charset(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """A content type names its charset once (Litestar appends it to a text/* type itself;
    adding it by hand gave ``text/csv; charset=utf-8; charset=utf-8``)."""
    for value in response.headers.get("content-type", []):
        assert value.lower().count("charset=") <= 1, f"content-type {value!r}"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    one_charset,
]


def call(case: schemathesis.Case, api: asgi.ASGIClient, token: str) -> schemathesis.Response:
    """Send the generated request with the user's bearer token and run every check."""
    auth = {"Authorization": f"Bearer {token}"}
    return case.call_and_validate(session=api, headers=auth, checks=CHECKS)


async def make_cast(names: tuple[str, ...] = tuple(CAST_ROLES)) -> Cast:
    """The usual cast (``tests/conftest.py``), or the ``names`` of it, made with the accounts
    services: users with a password, each with a personal API token."""
    from audit.context import SYSTEM
    from audit.domain.accounts.schemas import TokenCreate, UserCreate
    from audit.domain.accounts.services import create_token, create_user
    from audit.domain.operators.schemas import OperatorIn
    from audit.domain.operators.services import create_operator

    cast = Cast()
    cast.operator_a = await create_operator(OperatorIn(name="甲通信有限公司"), SYSTEM)
    cast.operator_b = await create_operator(OperatorIn(name="乙通信有限公司"), SYSTEM)
    operators = {"op_a": cast.operator_a["id"], "op_b": cast.operator_b["id"]}
    for name in names:
        user = await create_user(
            UserCreate(
                username=name,
                password=CAST_PASSWORD,
                role=CAST_ROLES[name],  # type: ignore[arg-type]
                operator_id=operators.get(name),
            ),
            SYSTEM,
        )
        cast.users[name] = user
        cast.tokens[name] = (await create_token(TokenCreate(name="contract"), user))["token"]
    return cast
