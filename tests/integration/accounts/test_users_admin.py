"""User administration rules: operator users belong to exactly one operator; names unique."""

from __future__ import annotations

from typing import Any


async def test_admin_creates_operator_user_for_existing_operator(client: Any, cast: Any) -> None:
    body = {
        "username": "op_a2",
        "password": "long-enough-pw",
        "role": "operator",
        "operator_id": cast.operator_a["id"],
    }
    r = await client.post("/users", json=body, headers=cast.headers("admin"))
    assert r.status_code == 201, r.text
    assert r.json()["operator_id"] == cast.operator_a["id"]


async def test_operator_user_without_operator_is_refused_naming_the_field(
    client: Any, cast: Any
) -> None:
    body = {"username": "lost", "password": "long-enough-pw", "role": "operator"}
    r = await client.post("/users", json=body, headers=cast.headers("admin"))
    assert r.status_code == 400
    assert r.json()["field"] == "operator_id"


async def test_staff_user_with_operator_is_refused(client: Any, cast: Any) -> None:
    body = {
        "username": "mixed",
        "password": "long-enough-pw",
        "role": "inspector",
        "operator_id": cast.operator_a["id"],
    }
    r = await client.post("/users", json=body, headers=cast.headers("admin"))
    assert r.status_code == 400 and r.json()["field"] == "operator_id"


async def test_duplicate_username_is_409(client: Any, cast: Any) -> None:
    body = {"username": "admin", "password": "long-enough-pw", "role": "analyst"}
    r = await client.post("/users", json=body, headers=cast.headers("admin"))
    assert r.status_code == 409 and r.json()["field"] == "username"


async def test_short_password_names_the_field(client: Any, cast: Any) -> None:
    body = {"username": "shorty", "password": "short", "role": "analyst"}
    r = await client.post("/users", json=body, headers=cast.headers("admin"))
    assert r.status_code == 400
    assert "password" in r.text
