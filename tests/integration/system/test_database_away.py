"""The database goes away under a running ``audit run``: /health and the API answer 503 (not
500) while it is gone, and the server serves again once it is back (issue 16 item 14).

Real outages: on PostgreSQL the database is dropped (its connections terminated); on SQLite
the directory holding the file disappears (an unmounted volume). Each test runs its own
server on its own database, so the suite's database is untouched.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_DSN
from tests.integration.system.live import audit, env, free_port, login, running

PASSWORD = "a-long-password"


def _pg(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(f"{PG_DSN}/postgres")
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture
def own_database(db: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(kind, url) of a fresh database for one server."""
    if db == "sqlite":
        yield db, f"sqlite:///{tmp_path / 'volume' / 'audit.sqlite'}"
        return
    name = f"sqa_away_{os.getpid()}"
    _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg(f'CREATE DATABASE "{name}"')
    try:
        yield db, f"{PG_DSN}/{name}"
    finally:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_health_and_api_answer_503_while_the_database_is_away(
    own_database: tuple[str, str], tmp_path: Path
) -> None:
    kind, url = own_database
    settings = env(AUDIT_DATABASE_URL=url, AUDIT_VAR_DIR=str(tmp_path / "var"))
    assert audit(["db", "upgrade"], settings).returncode == 0
    made = audit(
        ["users", "create", "--username", "root", "--role", "admin"],
        {**settings, "AUDIT_NEW_USER_PASSWORD": PASSWORD},
    )
    assert made.returncode == 0, made.stderr
    with running(settings, free_port()) as server:
        server.wait_healthy()
        headers = login(server.url, "root", PASSWORD)
        assert httpx.get(f"{server.url}/operators", headers=headers).status_code == 200

        volume = Path(url.removeprefix("sqlite:///")).parent
        if kind == "sqlite":
            volume.rename(volume.with_name("unmounted"))
        else:
            name = url.rsplit("/", 1)[1]
            _pg(f'DROP DATABASE "{name}" WITH (FORCE)')

        health = httpx.get(f"{server.url}/health", timeout=30)
        assert health.status_code == 503
        assert health.json()["database"].startswith("unreachable")
        calls = {
            "session lookup": httpx.get(f"{server.url}/operators", headers=headers, timeout=30),
            "login": httpx.post(
                f"{server.url}/auth/login",
                json={"username": "root", "password": PASSWORD},
                timeout=30,
            ),
            "write": httpx.post(
                f"{server.url}/operators", json={"name": "x"}, headers=headers, timeout=30
            ),
            "page": httpx.get(f"{server.url}/ui/operators", headers=headers, timeout=30),
        }
        for what, r in calls.items():
            assert r.status_code == 503, (what, r.status_code, r.text[:300])
            assert r.headers["retry-after"]
        assert calls["login"].json()["detail"].startswith("the database is unavailable")
        log = "".join(server.lines)
        assert "unhandled error" not in log, log

        if kind == "sqlite":  # the volume comes back: so does the service
            volume.with_name("unmounted").rename(volume)
            assert httpx.get(f"{server.url}/health", timeout=30).status_code == 200
            assert httpx.get(f"{server.url}/operators", headers=headers).status_code == 200
