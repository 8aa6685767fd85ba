"""The web UI: a login form that sets the same session cookie as the API, and a dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig
from pydantic import BaseModel, ConfigDict, StringConstraints

from audit.domain.accounts import services as accounts
from audit.domain.accounts.guards import STAFF, set_session_cookie
from audit.domain.accounts.services import actor_of
from audit.domain.operators import services as operators
from audit.settings import get_settings

TEMPLATES = TemplateConfig(
    directory=Path(__file__).parent / "templates", engine=JinjaTemplateEngine
)


class LoginForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    username: Annotated[str, StringConstraints(min_length=1, max_length=150)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Pages(Controller):
    path = "/"
    include_in_schema = False

    @get("/")
    async def home(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = request.scope.get("user")
        if user is None:
            return Redirect("/login")
        ops = await operators.list_operators(actor_of(user))
        venues = {o["id"]: await operators.list_venues(o["id"], actor_of(user)) for o in ops}
        return Template(
            "dashboard.html.j2",
            context={
                "user": user,
                "operators": ops,
                "venues": venues,
                "staff": user["role"] in STAFF,
            },
        )

    @get("/login")
    async def login_form(self) -> Template:
        return Template("login.html.j2", context={"error": None})

    @post("/login", status_code=200)
    async def login(
        self,
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        settings = get_settings()
        user = await accounts.authenticate(data.username, data.password)
        if user is None:
            return Template(
                "login.html.j2",
                context={"error": "用户名或密码错误 / wrong username or password"},
                status_code=401,
            )
        token = await accounts.start_session(user, settings.session_ttl_hours)
        response: Response[Any] = Redirect("/")
        set_session_cookie(response, token)
        return response


ROUTES = [Pages]
