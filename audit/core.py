"""Assembling the app: routes and start-up hooks discovered from the domains, error shapes."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Controller, Litestar, Request, Response, get
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE
from litestar_htmx import HTMXPlugin

import audit
from audit import db, dbcheck
from audit.api import DEPENDENCIES
from audit.domain.accounts.guards import auth_middleware
from audit.domains import domain_modules
from audit.errors import DomainError
from audit.logging import configure_logging, request_id_middleware
from audit.openapi import StrictBodySchemaPlugin, components, document
from audit.settings import Settings, get_settings
from audit.validation import nul_guard_middleware
from audit.web.i18n import locale_middleware
from audit.web.security import (
    AuditCSRFMiddleware,
    add_security_headers,
    json_content_type_middleware,
)
from audit.web.swagger import OfflineSwaggerRenderPlugin
from audit.web.templating import template_config

log = structlog.get_logger("audit")


class HealthController(Controller):
    path = "/health"
    tags = ["system"]

    @get(
        "/",
        summary="Database reachable, migrations current, version",
        # degraded: the same report, not an error body
        responses={503: ResponseSpec(data_container=dict[str, Any], description="Degraded")},
    )
    async def health(self) -> Response[dict[str, Any]]:
        body: dict[str, Any] = {"version": audit.__version__}
        try:
            await db.engine().run_ddl("SELECT 1")
            body["database"] = "ok"
            pending = await db.pending_migrations()
            body["migrations"] = "current" if not pending else {"pending": pending}
        except Exception as exc:  # health reports, it never raises
            body["database"] = f"unreachable: {type(exc).__name__}"
            pending = ["?"]
        ok = body["database"] == "ok" and not pending
        body["status"] = "ok" if ok else "degraded"
        return Response(body, status_code=200 if ok else HTTP_503_SERVICE_UNAVAILABLE)


def _domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"status_code": exc.status_code, "detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return Response(body, status_code=exc.status_code)


def database_unavailable(request: Request[Any, Any, Any], cause: BaseException) -> Response[Any]:
    """503 while the database is away (not a bug: no traceback, one line in the log)."""
    url = request.app.state.settings.database_url
    log.warning("database unavailable", path=request.url.path, cause=dbcheck.describe(cause, url))
    return Response(
        {"status_code": 503, "detail": "the database is unavailable; try again shortly"},
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
        headers={"retry-after": "30"},
    )


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if isinstance(exc, HTTPException):
        body: dict[str, Any] = {"status_code": exc.status_code, "detail": exc.detail}
        if exc.extra:
            body["extra"] = exc.extra
        return Response(body, status_code=exc.status_code, headers=exc.headers)
    gone = dbcheck.unavailable_cause(exc)
    if gone is not None:
        return database_unavailable(request, gone)
    log.exception("unhandled error", path=request.url.path)
    return Response(
        {"status_code": 500, "detail": "internal error; see the server log"},
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
    )


def collect_routes() -> list[Any]:
    from audit.web.assets import ROUTES as ASSETS
    from audit.web.pages import page_routes

    routes: list[Any] = [HealthController, *ASSETS, *page_routes()]
    for _, module in domain_modules("controllers"):
        routes.extend(getattr(module, "ROUTES", []))
    return routes


async def _startup(app: Litestar) -> None:
    settings: Settings = app.state.settings
    await db.start(settings)
    if settings.auto_migrate:
        await db.migrate()
        log.info("migrations applied", database=settings.database_url.split("@")[-1])
    for name, module in domain_modules("startup"):
        hook = getattr(module, "on_startup", None)
        if hook is not None:
            await hook(app)
            log.debug("domain started", domain=name)
    if settings.demo:
        from audit.demo import load_demo_data

        await load_demo_data(app)


async def _shutdown(app: Litestar) -> None:
    for _, module in domain_modules("startup"):
        hook = getattr(module, "on_shutdown", None)
        if hook is not None:
            await hook(app)
    await db.stop()


def build_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    configure_logging(settings)
    app = Litestar(
        route_handlers=collect_routes(),
        dependencies=DEPENDENCIES,
        # outermost first: the caller is known before the language, CSRF and body checks
        middleware=[
            request_id_middleware,
            nul_guard_middleware,
            DefineMiddleware(auth_middleware),
            locale_middleware,
            DefineMiddleware(AuditCSRFMiddleware),
            json_content_type_middleware,
        ],
        plugins=[HTMXPlugin(), StrictBodySchemaPlugin()],
        before_send=[add_security_headers],
        exception_handlers={DomainError: _domain_error, Exception: _unexpected},
        on_startup=[_startup],
        on_shutdown=[_shutdown],
        openapi_config=OpenAPIConfig(
            title="Service Quality Audit",
            version=audit.__version__,
            path="/schema",
            render_plugins=[OfflineSwaggerRenderPlugin()],
            components=components(settings.session_cookie),
        ),
        request_max_body_size=settings.max_upload_bytes,
        template_config=template_config(),
        # Logging is ours (audit/logging.py): Litestar's default config would add an
        # unredacted handler to the root logger.
        logging_config=None,
        debug=False,
    )
    app.state.settings = settings
    document(app)  # error responses, empty 204s, auth: derived for every operation
    return app
