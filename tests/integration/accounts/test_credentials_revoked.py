"""A new password or a deactivation ends the user's sessions and API tokens; reactivating the
user does not revive them (issue 16 item 13). The last active admin stays an active admin."""

from __future__ import annotations

from typing import Any

from tests.conftest import CAST_PASSWORD


async def _status(client: Any, *, session: str | None = None, token: str | None = None) -> int:
    client.cookies.clear()
    headers = {"Cookie": f"audit_session={session}"} if session else {}
    if token:
        headers = {"Authorization": f"Bearer {token}"}
    return int((await client.get("/auth/me", headers=headers)).status_code)


async def _token_for(client: Any, username: str) -> tuple[str, str]:
    r = await client.post("/auth/login", json={"username": username, "password": CAST_PASSWORD})
    assert r.status_code == 200, r.text
    session = client.cookies["audit_session"]
    assert (await client.get("/auth/me")).status_code == 200  # sets the CSRF cookie
    csrf = client.cookies["audit_csrf"]
    r = await client.post("/auth/tokens", json={"name": "ci"}, headers={"X-CSRFToken": csrf})
    assert r.status_code == 201, r.text
    client.cookies.clear()
    return str(session), str(r.json()["token"])


async def test_password_change_revokes_sessions_and_tokens(client: Any, cast: Any) -> None:
    session, token = await _token_for(client, "inspector1")
    assert await _status(client, session=session) == 200
    assert await _status(client, token=token) == 200
    uid = cast.users["inspector1"]["id"]
    r = await client.patch(
        f"/users/{uid}", json={"password": "a-brand-new-pw"}, headers=cast.headers("admin")
    )
    assert r.status_code == 200, r.text
    assert await _status(client, session=session) == 401
    assert await _status(client, token=token) == 401
    assert await _status(client, token=cast.tokens["inspector1"]) == 401  # the cast's too
    # the new password works and gives a working session
    r = await client.post(
        "/auth/login", json={"username": "inspector1", "password": "a-brand-new-pw"}
    )
    assert r.status_code == 200


async def test_reactivation_does_not_revive_old_tokens(client: Any, cast: Any) -> None:
    from audit.domain.auditlog.tables import AuditEntry

    session, token = await _token_for(client, "analyst")
    uid = cast.users["analyst"]["id"]
    admin = cast.headers("admin")
    assert (await client.patch(f"/users/{uid}", json={"active": False}, headers=admin)).is_success
    assert (await client.patch(f"/users/{uid}", json={"active": True}, headers=admin)).is_success
    assert await _status(client, session=session) == 401
    assert await _status(client, token=token) == 401
    assert await _status(client, token=cast.tokens["analyst"]) == 401
    r = await client.post("/auth/login", json={"username": "analyst", "password": CAST_PASSWORD})
    assert r.status_code == 200  # the person may log in again, with new credentials
    rows = await AuditEntry.select(AuditEntry.after).where(AuditEntry.action == "user.update")
    assert any("credentials_revoked" in str(r["after"]) for r in rows)


async def test_other_changes_keep_credentials(client: Any, cast: Any) -> None:
    uid = cast.users["analyst"]["id"]
    r = await client.patch(
        f"/users/{uid}", json={"display_name": "新名字"}, headers=cast.headers("admin")
    )
    assert r.status_code == 200
    assert await _status(client, token=cast.tokens["analyst"]) == 200


async def test_last_admin_cannot_demote_or_deactivate_themselves(client: Any, cast: Any) -> None:
    uid = cast.users["admin"]["id"]
    admin = cast.headers("admin")
    r = await client.patch(f"/users/{uid}", json={"role": "supervisor"}, headers=admin)
    assert r.status_code == 409 and r.json()["field"] == "role", r.text
    r = await client.patch(f"/users/{uid}", json={"active": False}, headers=admin)
    assert r.status_code == 409 and r.json()["field"] == "active", r.text
    assert await _status(client, token=cast.tokens["admin"]) == 200
    # with a second admin, the first may step down
    body = {"username": "admin2", "password": "long-enough-pw", "role": "admin"}
    assert (await client.post("/users", json=body, headers=admin)).status_code == 201
    r = await client.patch(f"/users/{uid}", json={"role": "supervisor"}, headers=admin)
    assert r.status_code == 200, r.text
