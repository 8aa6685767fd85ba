"""Personal API tokens: shown once, stored hashed, revocable."""

from __future__ import annotations

from typing import Any


async def test_token_is_shown_once_and_stored_only_as_digest(client: Any, cast: Any) -> None:
    from audit.domain.accounts.tables import ApiToken

    r = await client.post("/auth/tokens", json={"name": "ci"}, headers=cast.headers("analyst"))
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    rows = await ApiToken.select(ApiToken.token_hash).run()
    assert all(token not in row["token_hash"] for row in rows)
    me = await client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == "analyst"
    listed = await client.get("/auth/tokens", headers=cast.headers("analyst"))
    assert "token" not in listed.json()[0]


async def test_revoked_token_stops_working(client: Any, cast: Any) -> None:
    r = await client.post("/auth/tokens", json={"name": "tmp"}, headers=cast.headers("inspector1"))
    token, token_id = r.json()["token"], r.json()["id"]
    auth = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/auth/me", headers=auth)).status_code == 200
    assert (await client.delete(f"/auth/tokens/{token_id}", headers=auth)).status_code == 204
    assert (await client.get("/auth/me", headers=auth)).status_code == 401


async def test_cannot_revoke_someone_elses_token(client: Any, cast: Any) -> None:
    r = await client.post("/auth/tokens", json={"name": "mine"}, headers=cast.headers("inspector1"))
    token_id = r.json()["id"]
    r = await client.delete(f"/auth/tokens/{token_id}", headers=cast.headers("inspector2"))
    assert r.status_code == 404


async def test_garbage_bearer_is_anonymous(client: Any, cast: Any) -> None:
    for value in ("Bearer ", "Bearer " + "x" * 5000, "Basic abc", "Bearer sqa_nope"):
        r = await client.get("/auth/me", headers={"Authorization": value})
        assert r.status_code == 401
