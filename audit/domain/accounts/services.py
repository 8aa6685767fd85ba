"""Accounts: users, sessions and tokens. Every write lands in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.context import Actor
from audit.db import engine
from audit.domain.accounts.passwords import digest, hash_password, new_token, verify_password
from audit.domain.accounts.ratelimit import LoginThrottle
from audit.domain.accounts.schemas import TokenCreate, UserCreate, UserUpdate
from audit.domain.accounts.tables import ApiToken, User, WebSession
from audit.domain.auditlog.services import record
from audit.domain.operators.tables import Operator
from audit.errors import Conflict, DomainError, NotFound
from audit.settings import get_settings

_USER_FIELDS = (
    User.id,
    User.username,
    User.display_name,
    User.email,
    User.role,
    User.operator.as_alias("operator_id"),
    User.active,
    User.language,
)

LANGUAGES = ("zh-CN", "en")


def actor_of(user: dict[str, Any]) -> Actor:
    return Actor(
        id=user["id"], name=user["username"], role=user["role"], operator_id=user["operator_id"]
    )


async def get_user(user_id: int) -> dict[str, Any]:
    row = await User.select(*_USER_FIELDS).where(User.id == user_id).first().run()
    if row is None:
        raise NotFound(f"user {user_id} not found")
    return row


async def list_users() -> list[dict[str, Any]]:
    return await User.select(*_USER_FIELDS).order_by(User.id).run()


async def create_user(data: UserCreate, actor: Actor) -> dict[str, Any]:
    if data.role == "operator" and data.operator_id is None:
        raise DomainError("an operator user belongs to exactly one operator", field="operator_id")
    if data.role != "operator" and data.operator_id is not None:
        raise DomainError("only operator users belong to an operator", field="operator_id")
    if data.operator_id is not None and not await Operator.exists().where(
        Operator.id == data.operator_id
    ):
        raise DomainError(f"operator {data.operator_id} does not exist", field="operator_id")
    if await User.exists().where(User.username == data.username):
        raise Conflict(f"username {data.username!r} is taken", field="username")
    async with engine().transaction():
        rows = (
            await User.insert(
                User(
                    username=data.username,
                    display_name=data.display_name,
                    email=data.email,
                    role=data.role,
                    operator=data.operator_id,
                    password_hash=hash_password(data.password),
                )
            )
            .returning(User.id)
            .run()
        )
        user = await get_user(rows[0]["id"])
        await record(actor, "user.create", "user", user["id"], None, user)
    return user


async def update_user(user_id: int, data: UserUpdate, actor: Actor) -> dict[str, Any]:
    before = await get_user(user_id)
    changes: dict[Any, Any] = {}
    if data.role is not None and data.role != before["role"]:
        if (data.role == "operator") != (before["operator_id"] is not None):
            raise DomainError("operator users must keep their operator; create a new user", "role")
        changes[User.role] = data.role
    if data.display_name is not None:
        changes[User.display_name] = data.display_name
    if data.active is not None:
        changes[User.active] = data.active
    if data.password is not None:
        changes[User.password_hash] = hash_password(data.password)
    if not changes:
        return before
    async with engine().transaction():
        await _keep_an_admin(before, data)
        await User.update(changes).where(User.id == user_id).run()
        revoked = 0
        if data.active is False or data.password is not None:
            revoked = await _end_credentials(user_id)
        after = await get_user(user_id)
        note = {"credentials_revoked": revoked} if revoked else {}
        await record(actor, "user.update", "user", user_id, before, {**after, **note})
    return after


async def _keep_an_admin(before: dict[str, Any], data: UserUpdate) -> None:
    """Refuse the change that would leave no active admin (nobody could administer users)."""
    if before["role"] != "admin" or not before["active"]:
        return
    demoted = data.role is not None and data.role != "admin"
    if not demoted and data.active is not False:
        return
    others = await User.count().where(
        (User.role == "admin") & (User.active == True) & (User.id != before["id"])  # noqa: E712
    )
    if not others:
        field = "role" if demoted else "active"
        raise Conflict("the last active admin cannot be demoted or deactivated", field=field)


async def _end_credentials(user_id: int) -> int:
    """A new password or a deactivation ends every session and revokes every API token of the
    user: whoever held the old credentials loses access. Revoked tokens stay revoked, so a
    later reactivation does not revive them (the user creates new ones). Returns how many
    sessions and tokens ended."""
    sessions = await WebSession.delete().where(WebSession.user == user_id).returning(WebSession.id)
    tokens = (
        await ApiToken.update({ApiToken.revoked: True})
        .where((ApiToken.user == user_id) & (ApiToken.revoked == False))  # noqa: E712
        .returning(ApiToken.id)
    )
    return len(sessions) + len(tokens)


async def set_language(user: dict[str, Any], language: str) -> None:
    """The user's own choice of UI language (a preference: not an audited write)."""
    if language not in LANGUAGES:
        raise DomainError(f"language must be one of {', '.join(LANGUAGES)}", field="language")
    await User.update({User.language: language}).where(User.id == user["id"]).run()


class LoginThrottled(DomainError):
    """429: too many failed logins for this account or from this address."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed logins; try again later")
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


_THROTTLE: LoginThrottle | None = None


def login_throttle() -> LoginThrottle:
    """The one login throttle of this process (the API and the HTML form share it)."""
    global _THROTTLE
    if _THROTTLE is None:
        s = get_settings()
        _THROTTLE = LoginThrottle(
            s.login_max_failures, s.login_window_seconds, s.login_max_failures_per_address
        )
    return _THROTTLE


def reset_login_throttle() -> None:
    """Forget every window (a new app: start-up, or each test's app)."""
    global _THROTTLE
    _THROTTLE = None


async def log_in(username: str, password: str, address: str) -> dict[str, Any] | None:
    """Check a login attempt from ``address`` (resolved by :mod:`clientaddr`): the user, or
    None for wrong credentials; raises :class:`LoginThrottled` while the account or the
    address is blocked (even for the right password). Every failure is audit-logged."""
    throttle = login_throttle()
    wait = throttle.retry_after(address, username)
    if wait is not None:
        await _failed_login(username, address, "throttled")
        raise LoginThrottled(wait)
    user = await authenticate(username, password)
    if user is None:
        throttle.failed(address, username)
        await _failed_login(username, address, "wrong credentials")
        return None
    throttle.succeeded(address, username)
    return user


async def _failed_login(username: str, address: str, reason: str) -> None:
    row = await User.select(User.id).where(User.username == username).first()
    # the attempted name, never the password; an unknown name is logged as given (cut short)
    after = {"username": username[:150], "address": address, "reason": reason}
    actor = Actor(id=None, name=f"login:{username[:100]}", role="anonymous")
    entity_id = row["id"] if row else username[:100]
    await record(actor, "session.login_failed", "user", entity_id, None, after)


async def authenticate(username: str, password: str) -> dict[str, Any] | None:
    row = (
        await User.select(User.id, User.password_hash, User.active)
        .where(User.username == username)
        .first()
        .run()
    )
    ok = verify_password(row["password_hash"] if row else None, password)
    if not row or not ok or not row["active"]:
        return None
    return await get_user(row["id"])


async def start_session(user: dict[str, Any], ttl_hours: int) -> str:
    token = new_token("ses")
    now = dt.datetime.now(dt.UTC)
    async with engine().transaction():
        await WebSession.insert(
            WebSession(
                user=user["id"],
                token_hash=digest(token),
                expires_at=now + dt.timedelta(hours=ttl_hours),
            )
        ).run()
        await record(actor_of(user), "session.login", "user", user["id"])
    return token


async def end_session(token: str, user: dict[str, Any]) -> None:
    async with engine().transaction():
        await WebSession.delete().where(WebSession.token_hash == digest(token)).run()
        await record(actor_of(user), "session.logout", "user", user["id"])


async def user_for_session(token: str) -> dict[str, Any] | None:
    row = (
        await WebSession.select(WebSession.user, WebSession.expires_at)
        .where(WebSession.token_hash == digest(token))
        .first()
        .run()
    )
    if row is None or row["expires_at"] < dt.datetime.now(dt.UTC):
        return None
    return await _active_user(row["user"])


async def user_for_token(token: str) -> dict[str, Any] | None:
    row = (
        await ApiToken.select(ApiToken.id, ApiToken.user)
        .where(
            (ApiToken.token_hash == digest(token)) & (ApiToken.revoked == False)  # noqa: E712
        )
        .first()
        .run()
    )
    if row is None:
        return None
    await (
        ApiToken.update({ApiToken.last_used_at: dt.datetime.now(dt.UTC)})
        .where(ApiToken.id == row["id"])
        .run()
    )
    return await _active_user(row["user"])


async def _active_user(user_id: int) -> dict[str, Any] | None:
    try:
        user = await get_user(user_id)
    except NotFound:
        return None
    return user if user["active"] else None


_TOKEN_FIELDS = (
    ApiToken.id,
    ApiToken.name,
    ApiToken.prefix,
    ApiToken.created_at,
    ApiToken.last_used_at,
    ApiToken.revoked,
)


async def create_token(data: TokenCreate, user: dict[str, Any]) -> dict[str, Any]:
    token = new_token("sqa")
    async with engine().transaction():
        rows = (
            await ApiToken.insert(
                ApiToken(
                    user=user["id"], name=data.name, token_hash=digest(token), prefix=token[:12]
                )
            )
            .returning(ApiToken.id)
            .run()
        )
        out = (
            await ApiToken.select(*_TOKEN_FIELDS).where(ApiToken.id == rows[0]["id"]).first().run()
        )
        assert out is not None
        await record(actor_of(user), "token.create", "api_token", out["id"], None, out)
    return {**out, "token": token}


async def list_tokens(user: dict[str, Any]) -> list[dict[str, Any]]:
    return await ApiToken.select(*_TOKEN_FIELDS).where(ApiToken.user == user["id"]).run()


async def revoke_token(token_id: int, user: dict[str, Any]) -> None:
    row = (
        await ApiToken.select(ApiToken.id, ApiToken.revoked)
        .where((ApiToken.id == token_id) & (ApiToken.user == user["id"]))
        .first()
        .run()
    )
    if row is None:
        raise NotFound(f"token {token_id} not found")
    if row["revoked"]:
        return
    async with engine().transaction():
        await ApiToken.update({ApiToken.revoked: True}).where(ApiToken.id == token_id).run()
        await record(
            actor_of(user),
            "token.revoke",
            "api_token",
            token_id,
            {"revoked": False},
            {"revoked": True},
        )
