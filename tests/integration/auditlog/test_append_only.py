"""The audit log: an entry per write, with who/when/request id; no way to change entries."""

from __future__ import annotations

from typing import Any

import pytest


async def test_each_write_appends_an_entry_with_request_id(client: Any, cast: Any) -> None:
    r = await client.post(
        "/operators",
        json={"name": "丙通信"},
        headers={**cast.headers("supervisor"), "X-Request-ID": "req-42"},
    )
    oid = r.json()["id"]
    log = (
        await client.get(
            "/audit-log",
            params={"entity": "operator", "entity_id": str(oid)},
            headers=cast.headers("admin"),
        )
    ).json()
    assert len(log) == 1
    assert log[0]["action"] == "operator.create"
    assert log[0]["actor"] == "supervisor" and log[0]["actor_id"] == cast.users["supervisor"]["id"]
    assert log[0]["request_id"] == "req-42"
    assert log[0]["after"]["name"] == "丙通信"


async def test_failed_write_leaves_no_entry(client: Any, cast: Any) -> None:
    before = len((await client.get("/audit-log", headers=cast.headers("admin"))).json())
    r = await client.post(
        "/operators", json={"name": cast.operator_b["name"]}, headers=cast.headers("admin")
    )
    assert r.status_code == 409
    after = len((await client.get("/audit-log", headers=cast.headers("admin"))).json())
    assert after == before


async def test_database_refuses_update_and_delete(cast: Any) -> None:
    from audit.domain.auditlog.tables import AuditEntry

    assert await AuditEntry.count() > 0
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.actor: "mallory"}, force=True).run()
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete(force=True).run()
    rows = await AuditEntry.select(AuditEntry.actor).run()
    assert all(r["actor"] != "mallory" for r in rows)


async def test_only_admin_and_supervisor_read_and_nobody_writes(client: Any, cast: Any) -> None:
    for name in ("inspector1", "analyst", "op_a"):
        assert (await client.get("/audit-log", headers=cast.headers(name))).status_code == 403
    for method in ("post", "put", "patch", "delete"):
        r = await getattr(client, method)("/audit-log", headers=cast.headers("admin"))
        assert r.status_code == 405
