"""GET /health: database reachable, migrations current, version; OpenAPI at /schema."""

from __future__ import annotations

from typing import Any


async def test_health_ok_on_a_migrated_database(client: Any, db: str) -> None:
    r = await client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body == {
        "version": body["version"],
        "database": "ok",
        "migrations": "current",
        "status": "ok",
    }
    assert r.headers["x-request-id"]


async def test_openapi_schema_lists_the_registry(client: Any, db: str) -> None:
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/operators" in paths and "/health" in paths and "/auth/login" in paths
