"""Login, logout, the language switch and the dashboard (``/``)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Template
from pydantic import ConfigDict, StringConstraints

from audit.api import CurrentUser
from audit.domain.accounts import services as accounts
from audit.domain.accounts.controllers import client_address
from audit.domain.accounts.guards import set_session_cookie
from audit.settings import get_settings
from audit.validation import ApiIn
from audit.web import dashboard
from audit.web.i18n import LANG_COOKIE, LANGUAGES, N_, gettext, language_var
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, page_needs, safe_next


class LoginForm(ApiIn):
    model_config = ConfigDict(extra="ignore")
    username: Annotated[str, StringConstraints(min_length=1, max_length=150)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    next: Annotated[str, StringConstraints(max_length=2000)] = "/"


class LanguageForm(ApiIn):
    model_config = ConfigDict(extra="ignore")
    lang: Annotated[str, StringConstraints(max_length=10)]
    next: Annotated[str, StringConstraints(max_length=2000)] = "/"


Next = Annotated[str | None, QueryParameter(max_length=2000)]


class HomePages(PageController):
    path = "/"

    @get("/", guards=[page_needs("dashboard")])
    async def dashboard(self, user: CurrentUser) -> Template:
        return Template("dashboard/index.html.j2", context=await dashboard.for_user(user))

    @get("/login")
    async def login_form(
        self,
        request: Request[Any, Any, Any],
        next: Next = None,
        expired: Annotated[str | None, QueryParameter(max_length=2)] = None,
    ) -> Response[Any]:
        if request.scope.get("user") is not None:
            return Redirect(safe_next(next))
        return Template(
            "login.html.j2",
            context={"error": None, "next": safe_next(next), "expired": expired == "1"},
        )

    @post("/login", status_code=200)
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        settings = get_settings()
        try:  # the same throttle as POST /auth/login (the accounts service)
            user = await accounts.log_in(data.username, data.password, client_address(request))
        except accounts.LoginThrottled as exc:
            retry = str(exc.retry_after)
            return Template(
                "login.html.j2",
                context={
                    "error": gettext(
                        "Too many failed logins. Try again in %(s)s seconds.", s=retry or "…"
                    ),
                    "next": safe_next(data.next),
                    "username": data.username,
                    "expired": False,
                },
                status_code=429,
                headers={"Retry-After": retry} if retry else None,
            )
        if user is None:
            return Template(
                "login.html.j2",
                context={
                    "error": gettext("Wrong username or password."),
                    "next": safe_next(data.next),
                    "username": data.username,
                    "expired": False,
                },
                status_code=401,
            )
        token = await accounts.start_session(user, settings.session_ttl_hours)
        response: Response[Any] = Redirect(safe_next(data.next), status_code=303)
        set_session_cookie(response, token)
        return response

    @post("/logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any]) -> Response[Any]:
        name = get_settings().session_cookie
        token = request.cookies.get(name)
        user = request.scope.get("user")
        if token and user is not None:
            await accounts.end_session(token, user)
        response: Response[Any] = Redirect("/login", status_code=303)
        response.delete_cookie(name)
        return response

    @post("/language", status_code=303)
    async def language(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        lang = data.lang if data.lang in LANGUAGES else "zh-CN"
        response: Response[Any] = Redirect(safe_next(data.next), status_code=303)
        user = request.scope.get("user")
        if user is not None:
            await accounts.set_language(user, lang)
        else:
            response.set_cookie(
                LANG_COOKIE,
                lang,
                max_age=365 * 86400,
                samesite="strict",
                secure=get_settings().session_cookie_secure,
                httponly=True,
            )
        language_var.set(lang)
        return response


ROUTES = [HomePages]
NAV = [NavItem(N_("Dashboard"), "/", "dashboard", order=0)]
