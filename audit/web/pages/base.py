"""The page-controller pattern: thin controllers that parse a form, call the same service as
the JSON API, and render a template. No business rule lives here or in templates.

- Derive from :class:`PageController` (HTML errors, login redirect, CSRF applies: ``page`` opt).
- Guard with :func:`page_needs` (a permission of the role matrix,
  ``audit/domain/accounts/roles.py``): anonymous → login (with the wanted page), operator users
  on staff pages → 404 (as the API does for records they may not see), other roles → 403.
- Forms: :func:`read_form` + :func:`validate_form` give ``(model, errors)`` with errors keyed by
  field name, from the pydantic schema or a service's ``DomainError(field=...)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import structlog
from litestar import Controller, Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template
from litestar_htmx import ClientRedirect
from pydantic import BaseModel, ValidationError

from audit import dbcheck
from audit.domain.accounts import roles as matrix
from audit.errors import DomainError
from audit.settings import get_settings
from audit.web.i18n import N_, gettext
from audit.web.security import CSRFFailed

log = structlog.get_logger("audit.web")

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]
M = TypeVar("M", bound=BaseModel)


def page_needs(permission: str) -> Guard:
    """Guard for a page that needs ``permission`` (the role matrix decides which roles)."""
    allowed = matrix.roles_for(permission)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException("login required")
        if user["role"] not in allowed:
            if user["role"] == "operator":
                raise NotFoundException("not found")  # never confirm a staff page exists
            raise PermissionDeniedException(
                f"role {user['role']!r} lacks permission {permission!r}"
            )

    guard.__name__ = f"page_needs_{permission.replace('.', '_')}"
    guard.permission = permission  # type: ignore[attr-defined]  # read by tests and the docs
    guard.roles = allowed  # type: ignore[attr-defined]
    return guard


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to return to after login (never another site)."""
    if not value or len(value) > 2000:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or parts.path.startswith(("/login", "/logout")):
        return default
    return value


def login_url(request: Request[Any, Any, Any], expired: bool) -> str:
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        wanted = htmx.current_url_abs_path  # the page the fragment belongs to
    params = []
    if safe_next(wanted) != "/":
        params.append(f"next={quote(safe_next(wanted), safe='/')}")
    if expired:
        params.append("expired=1")
    return "/login" + ("?" + "&".join(params) if params else "")


def _login_redirect(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    cookie = get_settings().session_cookie
    expired = cookie in request.cookies  # a cookie that no longer opens a session
    url = login_url(request, expired)
    response: Response[Any] = (
        ClientRedirect(url) if getattr(request, "htmx", None) else Redirect(url, status_code=303)
    )
    if expired:
        response.delete_cookie(cookie)
    return response


ERROR_TITLES = {
    400: N_("The request could not be processed"),
    403: N_("Not allowed for your role"),
    404: N_("Page not found"),
    409: N_("Conflict"),
    500: N_("Something went wrong"),
    503: N_("Service unavailable"),
}
DATABASE_AWAY = N_("The database cannot be reached right now. Try again in a minute.")


EXPIRED_FORM_TITLE = N_("This form can no longer be sent")
EXPIRED_FORM = N_(
    "The form was not sent from this site's own page, or the page is too old. "
    "Go back, reload the page and send it again."
)


def error_page(status: int, detail: str | None = None, title: str | None = None) -> Template:
    title = title or gettext(ERROR_TITLES.get(status, ERROR_TITLES[400 if status < 500 else 500]))
    return Template(
        "error.html.j2",
        context={"status": status, "title": title, "detail": detail},
        status_code=status,
    )


def _http_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, CSRFFailed):
        return error_page(403, gettext(EXPIRED_FORM), title=gettext(EXPIRED_FORM_TITLE))
    if isinstance(exc, HTTPException):
        status = exc.status_code
        detail = None if status in (403, 404) else exc.detail
        return error_page(status, detail)
    if isinstance(exc, DomainError):
        return error_page(exc.status_code, exc.message)
    gone = dbcheck.unavailable_cause(exc)
    if gone is not None:
        log.warning(
            "database unavailable",
            path=request.url.path,
            cause=dbcheck.describe(gone, get_settings().database_url),
        )
        page = error_page(503, gettext(DATABASE_AWAY))
        page.headers["retry-after"] = "30"
        return page
    log.exception("unhandled error in a page", path=request.url.path)
    return error_page(500)


class PageController(Controller):
    """Base of every page controller (HTML answers, CSRF-checked forms, not in the API schema)."""

    include_in_schema = False
    opt = {"page": True}
    exception_handlers = {
        NotAuthorizedException: _login_redirect,
        HTTPException: _http_error,
        DomainError: _http_error,
        Exception: _http_error,
    }


async def read_form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The urlencoded/multipart form as a dict; repeated fields become lists."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        if key == "_csrf_token":
            continue
        values = form.getall(key)
        data[key] = values if len(values) > 1 else values[0]
    return data


_PYDANTIC_MESSAGES = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "string_too_long": N_("This is too long."),
    "int_parsing": N_("Enter a whole number."),
    "url_parsing": N_("Enter a valid URL (http:// or https://)."),
    "url_scheme": N_("Enter a valid URL (http:// or https://)."),
    "literal_error": N_("Choose one of the options."),
}


def errors_from(exc: ValidationError | DomainError) -> dict[str, str]:
    """Error messages by form field (the first path element), translated where we can."""
    if isinstance(exc, DomainError):
        # "phones[2]" names the form field "phones" (the message says which entry)
        return {(exc.field or "__all__").split("[")[0].split(".")[0]: exc.message}
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "__all__"
        message = _PYDANTIC_MESSAGES.get(err["type"])
        text = gettext(message) if message else str(err["msg"]).removeprefix("Value error, ")
        if len(err["loc"]) > 1 and isinstance(err["loc"][1], int):
            text = gettext("Line %(n)s: %(message)s", n=err["loc"][1] + 1, message=text)
        errors.setdefault(field, text)
    return errors


def lines(value: Any) -> list[str]:
    """A textarea with one entry per line, as a list (blank lines dropped)."""
    if value is None:
        return []
    text = "\n".join(value) if isinstance(value, list) else str(value)
    return [line.strip() for line in text.splitlines() if line.strip()]


def blank_to_none(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """Empty optional inputs mean "not given", as an absent JSON key does."""
    for name in names:
        if name in data and (data[name] is None or str(data[name]).strip() == ""):
            data[name] = None
    return data


async def submit(
    schema: type[M],
    data: dict[str, Any],
    save: Callable[[M], Awaitable[Any]],
    done_url: str | Callable[[Any], str],
    form_errors: dict[str, str] | None = None,
) -> tuple[Response[Any] | None, dict[str, str]]:
    """Validate ``data`` with the API's schema and ``save`` it through the service: a redirect
    to ``done_url`` (or ``done_url(saved)``) on success, else the errors by field (schema,
    form parsing or service)."""
    model, errors = validate_form(schema, data)
    errors = {**errors, **(form_errors or {})}
    if model is not None and not errors:
        try:
            saved = await save(model)
            url = done_url(saved) if callable(done_url) else done_url
            return Redirect(url, status_code=303), {}
        except DomainError as exc:
            errors = errors_from(exc)
    return None, errors


def validate_form(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        return None, errors_from(exc)
