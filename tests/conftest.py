"""Test set-up: a real database per run (SQLite file, or PostgreSQL with AUDIT_TEST_DB=postgres),
migrated once, reset before each test that asks for ``db``; the usual cast of users.

The suite runs twice in ``make test``: everything on SQLite, then the tests that use the
database again on PostgreSQL (tests that don't touch a database are deselected there).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

TEST_DB = os.environ.get("AUDIT_TEST_DB", "sqlite")
if TEST_DB not in ("sqlite", "postgres"):
    raise pytest.UsageError("AUDIT_TEST_DB must be sqlite or postgres")
PG_DSN = os.environ.get("AUDIT_TEST_PG", "postgresql://postgres@127.0.0.1:5432")

_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw")
_RUN_DIR = Path(tempfile.mkdtemp(prefix=f"sqa-tests-{_worker}-"))
_DB_FILE = _RUN_DIR / "audit.sqlite"
_TEMPLATE = _RUN_DIR / "template.sqlite"
_PG_NAME = f"sqa_test_{os.getpid()}"

# Settings are read from the environment: fix them before anything imports audit.
os.environ["AUDIT_DATABASE_URL"] = (
    f"sqlite:///{_DB_FILE}" if TEST_DB == "sqlite" else f"{PG_DSN}/{_PG_NAME}"
)
os.environ["AUDIT_DB_POOL"] = "false"  # the test client runs the app on another event loop
os.environ["AUDIT_VAR_DIR"] = str(_RUN_DIR / "var")
os.environ["AUDIT_PUBLIC_BASE_URL"] = "https://testserver.local"
os.environ.pop("AUDIT_DEMO", None)
os.environ.pop("AUDIT_AUTO_MIGRATE", None)


def _pg_admin(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(f"{PG_DSN}/postgres")
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def pytest_sessionstart(session: pytest.Session) -> None:
    if TEST_DB == "postgres":
        _pg_admin(f'DROP DATABASE IF EXISTS "{_PG_NAME}"')
        _pg_admin(f'CREATE DATABASE "{_PG_NAME}"')
        # a throw-away database: don't wait for the disk on every commit
        _pg_admin(f'ALTER DATABASE "{_PG_NAME}" SET synchronous_commit = off')
    from audit.db import migrate

    asyncio.run(migrate())
    if TEST_DB == "sqlite":
        shutil.copy(_DB_FILE, _TEMPLATE)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if TEST_DB == "postgres":
        # a leftover test database is harmless; don't mask the result
        with contextlib.suppress(Exception):
            _pg_admin(f'DROP DATABASE IF EXISTS "{_PG_NAME}" WITH (FORCE)')
    shutil.rmtree(_RUN_DIR, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The PostgreSQL pass re-runs only what touches the database.
    if TEST_DB != "postgres":
        return
    keep = [i for i in items if "db" in getattr(i, "fixturenames", ())]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


_PG_TABLES: list[str] = []


async def _reset_postgres() -> None:
    import asyncpg

    conn = await asyncpg.connect(os.environ["AUDIT_DATABASE_URL"])
    try:
        if not _PG_TABLES:
            _PG_TABLES.extend(
                r["tablename"]
                for r in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'migration'"
                )
            )
        # One round trip to find what the last test wrote; truncating only that is much
        # faster than truncating every table each time.
        probe = " UNION ALL ".join(
            f"SELECT '{n}' AS t WHERE EXISTS (SELECT 1 FROM \"{n}\")" for n in _PG_TABLES
        )
        dirty = [r["t"] for r in await conn.fetch(probe)] if _PG_TABLES else []
        if dirty:
            # TRUNCATE fires no row triggers, so the append-only audit log can be reset here.
            truncate = (
                "TRUNCATE " + ", ".join(f'"{n}"' for n in dirty) + " RESTART IDENTITY CASCADE"
            )
            await conn.execute("SET lock_timeout = '15s'")
            try:
                await conn.execute(truncate)
            except asyncpg.exceptions.LockNotAvailableError:
                # A connection an earlier test's app left inside a transaction (its event loop
                # is gone, so it never ends) would block every later test: end it, say so.
                left = await conn.fetch(_LEFT_OPEN)
                for row in left:
                    print(f"\n[tests] ending a connection left open: {dict(row)}", flush=True)
                await conn.execute(truncate)
    finally:
        await conn.close()


_LEFT_OPEN = """
SELECT pid, state, left(query, 120) AS query, pg_terminate_backend(pid) AS ended
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND state IN ('idle in transaction', 'idle in transaction (aborted)')
"""


async def reset_database() -> str:
    """Empty the test database (migrated, no rows); returns "sqlite" or "postgres". The ``db``
    fixture calls it before each test; a module that shares one world across its tests
    (``tests/integration/api/test_api_contract.py``) calls it once."""
    if TEST_DB == "sqlite":
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{_DB_FILE}{suffix}").unlink(missing_ok=True)
        shutil.copy(_TEMPLATE, _DB_FILE)
    else:
        await _reset_postgres()
    return TEST_DB


@pytest.fixture
async def db() -> AsyncIterator[str]:
    """A migrated, empty database of the kind under test; yields "sqlite" or "postgres"."""
    yield await reset_database()


@pytest.fixture
def settings() -> Any:
    from audit.settings import get_settings

    return get_settings()


@pytest.fixture
async def app(db: str) -> Any:
    from audit.core import build_app

    return build_app()


@pytest.fixture
async def client(app: Any) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app, base_url="https://testserver.local") as c:
        yield c


# ---- the usual cast -------------------------------------------------------------------------

CAST_ROLES = {
    "admin": "admin",
    "supervisor": "supervisor",
    "inspector1": "inspector",
    "inspector2": "inspector",
    "analyst": "analyst",
    "op_a": "operator",
    "op_b": "operator",
}
CAST_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def _cast_password_hash() -> str:
    from audit.domain.accounts.passwords import hash_password

    return hash_password(CAST_PASSWORD)  # argon2 is slow on purpose: hash once per run


@dataclass
class Cast:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    operator_a: dict[str, Any] = field(default_factory=dict)
    operator_b: dict[str, Any] = field(default_factory=dict)

    def headers(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def actor(self, name: str) -> Any:
        from audit.domain.accounts.services import actor_of

        return actor_of(self.users[name])


@pytest.fixture
async def cast(db: str, _cast_password_hash: str) -> Cast:
    """Admin, supervisor, two inspectors, an analyst, and users of two operators (A and B)."""
    from audit.context import SYSTEM
    from audit.domain.accounts.passwords import digest
    from audit.domain.accounts.services import get_user
    from audit.domain.accounts.tables import ApiToken, User
    from audit.domain.operators.schemas import OperatorIn
    from audit.domain.operators.services import create_operator

    result = Cast()
    result.operator_a = await create_operator(OperatorIn(name="甲通信有限公司"), SYSTEM)
    result.operator_b = await create_operator(OperatorIn(name="乙通信有限公司"), SYSTEM)
    for name, role in CAST_ROLES.items():
        operator_id = None
        if name == "op_a":
            operator_id = result.operator_a["id"]
        elif name == "op_b":
            operator_id = result.operator_b["id"]
        rows = (
            await User.insert(
                User(
                    username=name,
                    role=role,
                    operator=operator_id,
                    password_hash=_cast_password_hash,
                )
            )
            .returning(User.id)
            .run()
        )
        token = f"sqa_test_{name}_token"
        await ApiToken.insert(
            ApiToken(user=rows[0]["id"], name="test", token_hash=digest(token), prefix=token[:12])
        ).run()
        result.users[name] = await get_user(rows[0]["id"])
        result.tokens[name] = token
    return result


@pytest.fixture
def run_dir() -> Iterator[Path]:
    yield _RUN_DIR
