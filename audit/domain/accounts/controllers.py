"""Login/logout, personal API tokens, and user administration. Thin: services do the work."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from audit.api import CurrentActor, CurrentUser, Id
from audit.domain.accounts import clientaddr, services
from audit.domain.accounts.guards import require, set_session_cookie
from audit.domain.accounts.schemas import (
    LoginIn,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)
from audit.settings import get_settings


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address, through the trusted proxies only (``AUDIT_TRUSTED_PROXIES``)."""
    return clientaddr.client_address(request.scope, get_settings().trusted_proxy_networks)


class AuthController(Controller):
    path = "/auth"
    tags = ["accounts"]

    @post(
        "/login",
        summary="Log in; sets the session cookie",
        status_code=200,
        raises=[NotAuthorizedException, TooManyRequestsException],
    )
    async def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginIn]
    ) -> Response[UserOut]:
        settings = get_settings()
        try:
            user = await services.log_in(data.username, data.password, client_address(request))
        except services.LoginThrottled as exc:
            raise TooManyRequestsException(exc.message, headers=exc.headers) from None
        if user is None:
            raise NotAuthorizedException("wrong username or password")
        token = await services.start_session(user, settings.session_ttl_hours)
        response = Response(UserOut(**user))
        set_session_cookie(response, token)
        return response

    @post("/logout", guards=[require("account.own")], status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: Request[Any, Any, Any], user: CurrentUser) -> Response[None]:
        name = get_settings().session_cookie
        token = request.cookies.get(name)
        if token:
            await services.end_session(token, user)
        response: Response[None] = Response(None, status_code=HTTP_204_NO_CONTENT)
        response.delete_cookie(name)
        return response

    @get("/me", guards=[require("account.own")])
    async def me(self, user: CurrentUser) -> UserOut:
        return UserOut(**user)

    @get("/tokens", guards=[require("account.own")])
    async def tokens(self, user: CurrentUser) -> list[TokenOut]:
        return [TokenOut(**t) for t in await services.list_tokens(user)]

    @post(
        "/tokens",
        guards=[require("account.own")],
        summary="Create a personal API token (shown once)",
    )
    async def create_token(self, data: JSONBody[TokenCreate], user: CurrentUser) -> TokenCreated:
        return TokenCreated(**await services.create_token(data, user))

    @delete("/tokens/{token_id:int}", guards=[require("account.own")])
    async def revoke_token(self, token_id: Id, user: CurrentUser) -> None:
        await services.revoke_token(token_id, user)


class UserController(Controller):
    path = "/users"
    tags = ["accounts"]

    @get("/", guards=[require("users.read")])
    async def list_users(self) -> list[UserOut]:
        return [UserOut(**u) for u in await services.list_users()]

    @post("/", guards=[require("users.manage")])
    async def create_user(self, data: JSONBody[UserCreate], actor: CurrentActor) -> UserOut:
        return UserOut(**await services.create_user(data, actor))

    @get("/{user_id:int}", guards=[require("users.read")])
    async def get_user(self, user_id: Id) -> UserOut:
        return UserOut(**await services.get_user(user_id))

    @patch("/{user_id:int}", guards=[require("users.manage")])
    async def update_user(
        self, user_id: Id, data: JSONBody[UserUpdate], actor: CurrentActor
    ) -> UserOut:
        return UserOut(**await services.update_user(user_id, data, actor))


ROUTES = [AuthController, UserController]
