"""One login throttle (the accounts service) for the HTML form and POST /auth/login, keyed on
the account and, separately, on the client address as resolved through the trusted proxies
(AUDIT_TRUSTED_PROXIES); every failed login is in the audit log (issue 16 item 6)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import CAST_PASSWORD
from tests.web import form_login


async def _api_login(client: Any, username: str, password: str, **headers: str) -> int:
    r = await client.post(
        "/auth/login", json={"username": username, "password": password}, headers=headers
    )
    return int(r.status_code)


async def test_the_form_is_throttled_and_shares_the_window_with_the_api(
    client: Any, cast: Any, settings: Any
) -> None:
    from audit.domain.auditlog.tables import AuditEntry

    for _ in range(settings.login_max_failures):
        r = await form_login(client, "supervisor", "wrong-password")
        assert r.status_code == 401, r.text
    r = await form_login(client, "supervisor", CAST_PASSWORD)  # even the right password waits
    assert r.status_code == 429, r.text
    assert int(r.headers["retry-after"]) > 0
    assert "Retry-After" not in r.text and "audit_session" not in r.headers.get("set-cookie", "")
    assert await _api_login(client, "supervisor", CAST_PASSWORD) == 429  # the same throttle
    # another account is not blocked by this one's failures
    assert await _api_login(client, "analyst", CAST_PASSWORD) == 200
    failed = await AuditEntry.select(AuditEntry.after).where(
        AuditEntry.action == "session.login_failed"
    )
    reasons = [str(row["after"]) for row in failed]
    assert len(reasons) == settings.login_max_failures + 2
    assert sum("throttled" in r for r in reasons) == 2
    assert all("supervisor" in r and "wrong-password" not in r for r in reasons)


async def test_rotating_x_forwarded_for_does_not_unlock_an_account(
    client: Any, cast: Any, settings: Any
) -> None:
    # no trusted proxies: the header is not believed at all; and the account key holds anyway
    for i in range(settings.login_max_failures):
        status = await _api_login(client, "inspector1", "bad", **{"X-Forwarded-For": f"1.2.3.{i}"})
        assert status == 401
    status = await _api_login(client, "inspector1", CAST_PASSWORD, **{"X-Forwarded-For": "9.9.9.9"})
    assert status == 429


async def test_behind_a_trusted_proxy_the_real_client_is_throttled(
    app: Any, client: Any, cast: Any, settings: Any, monkeypatch: Any
) -> None:
    """Spraying many accounts from one client through our proxy, rotating the entries the
    client writes itself, is stopped by the address key; other clients are not affected."""
    monkeypatch.setattr(settings, "trusted_proxies", "10.0.0.0/8")

    def via(peer: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(peer, 40000))
        return httpx.AsyncClient(transport=transport, base_url="https://testserver.local")

    limit = settings.login_max_failures_per_address
    async with via("10.0.0.5") as proxy:
        for i in range(limit):  # one failure per account: no account key trips
            xff = f"198.51.100.{i}, 203.0.113.7"  # the proxy appended the real client
            assert await _api_login(proxy, f"user{i}", "bad", **{"X-Forwarded-For": xff}) == 401
        xff = "198.51.100.250, 203.0.113.7"
        assert await _api_login(proxy, "analyst", CAST_PASSWORD, **{"X-Forwarded-For": xff}) == 429
        # another real client behind the same proxy logs in
        xff = "203.0.113.8"
        assert await _api_login(proxy, "analyst", CAST_PASSWORD, **{"X-Forwarded-For": xff}) == 200
    # a client that is not a trusted proxy cannot claim to be one, nor to be someone else
    async with via("192.0.2.1") as direct:
        xff = "203.0.113.8"
        for i in range(limit):
            assert await _api_login(direct, f"u{i}", "bad", **{"X-Forwarded-For": xff}) == 401
        assert await _api_login(direct, "admin", CAST_PASSWORD) == 429
    async with via("10.0.0.5") as proxy:  # 203.0.113.8 was not blamed for 192.0.2.1
        xff = "203.0.113.8"
        assert await _api_login(proxy, "admin", CAST_PASSWORD, **{"X-Forwarded-For": xff}) == 200


async def test_failed_login_entries_name_the_resolved_address(
    app: Any, client: Any, cast: Any, settings: Any, monkeypatch: Any
) -> None:
    from audit.domain.auditlog.tables import AuditEntry

    monkeypatch.setattr(settings, "trusted_proxies", "10.0.0.5")
    transport = httpx.ASGITransport(app=app, client=("10.0.0.5", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as c:
        status = await _api_login(c, "nobody", "bad", **{"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})
        assert status == 401
    rows = await AuditEntry.select().where(AuditEntry.action == "session.login_failed")
    assert len(rows) == 1 and "203.0.113.9" in str(rows[0]["after"])
    assert "6.6.6.6" not in str(rows[0]["after"])
