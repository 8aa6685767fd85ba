"""The OpenAPI schema tells the truth about errors, bodies and auth — derived, not hand-written.

Every operation's error responses come from the mechanisms that produce them, so a route added
later is documented the same way (``tests/integration/api/test_api_contract.py`` runs
schemathesis against the app to hold the schema to what it answers):

=====  ==========================================================================================
400    every operation: a NUL in the URL (``nul_guard_middleware``), parameter/body validation
401    guarded operations (``require``: no or unknown session/token), and ``raises`` on a handler
403    guarded operations (role, or a service's ``Forbidden``) and every unsafe method (CSRF on a
       cookie-authenticated write; webhooks refuse bad signatures with it)
404    operations that name something by id: a path parameter, or a query/body field ``*_id(s)``
409    unsafe methods (state transitions, duplicates: ``Conflict``/``InvalidTransition``)
413    unsafe methods that read a body (``request_max_body_size``)
415    operations with a JSON body (``json_content_type_middleware``)
429    ``raises=[TooManyRequestsException]`` on a handler (the login throttle)
503    every operation: the database is unreachable
=====  ==========================================================================================

Request bodies deriving from :class:`audit.validation.ApiIn` refuse unknown fields, so their
schemas say ``additionalProperties: false``, and bound their row ids (``*_id``) as it does. A 204 has no body (no content in the schema).
Guarded operations name the two ways to authenticate (bearer token, session cookie).
A file download names the media types it is served in (:func:`serving`): Litestar documents a
``File`` under an empty media type and ``Response[bytes]`` as JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Litestar
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Components,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.plugins import OpenAPISchemaPlugin
from litestar.plugins.pydantic import PydanticSchemaPlugin
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition
from pydantic import BaseModel, Field

from audit.validation import MAX_ROW_ID, ApiIn, names_row_ids
from audit.web.security import SAFE_METHODS, _json_body_expected

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator


class ErrorOut(BaseModel):
    """Every error answer: the status, what went wrong and, when there is one, the input."""

    status_code: int
    detail: str
    field: str | None = Field(default=None, description="the offending input, when there is one")
    extra: Any = Field(default=None, description="per-field validation errors, when any")


DESCRIPTIONS = {
    400: "Bad request: the named field, parameter or URL part is invalid",
    401: "Login required (session cookie or bearer token), or wrong credentials",
    403: "Not allowed for this role or user, or a missing CSRF token on a cookie-authenticated write",
    404: "Nothing with that id (or not visible to this user)",
    409: "Conflicts with the current state (a lifecycle step not allowed now, a duplicate)",
    413: "Request body larger than the configured limit",
    415: "This endpoint accepts application/json only",
    429: "Too many attempts; see Retry-After",
    503: "Database unavailable",
}


def serving(*media_types: str) -> type[Operation]:
    """The ``operation_class`` of a handler whose 200 is a file in one of ``media_types``: the
    schema then names each (a body of that type, not JSON). A ``File``'s ``last-modified`` is an
    HTTP-date (``Fri, 04 Dec 2026 02:02:48 GMT``), not the RFC 3339 date-time Litestar says."""
    if not media_types:
        raise ValueError("serving() needs at least one media type")

    class ServingOperation(Operation):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            ok = (self.responses or {}).get("200")
            if ok is not None and not isinstance(ok, Reference):
                ok.content = {
                    media: OpenAPIMediaType(
                        schema=Schema(type=OpenAPIType.STRING, content_media_type=media)
                    )
                    for media in media_types
                }
                modified = (ok.headers or {}).get("last-modified")
                if isinstance(modified, OpenAPIHeader):
                    modified.schema = Schema(type=OpenAPIType.STRING)
                    modified.description = "When the file last changed, an HTTP-date (RFC 9110)"

    return ServingOperation


def components(session_cookie: str) -> Components:
    """The two ways to authenticate, named by every guarded operation."""
    schemes: dict[str, Any] = {
        "bearer": SecurityScheme(type="http", scheme="bearer", description="personal API token"),
        "session": SecurityScheme(
            type="apiKey", name=session_cookie, security_scheme_in="cookie", description="web login"
        ),
    }
    return Components(security_schemes=schemes)


_names_ids = names_row_ids


def _bound_row_ids(schema: Any) -> None:
    """The bounds ``ApiIn`` enforces on a row-id property, in its schema."""
    if not isinstance(schema, Schema):
        return
    if schema.type == OpenAPIType.INTEGER:
        if schema.minimum is None and schema.exclusive_minimum is None:
            schema.minimum = 1
        if schema.maximum is None and schema.exclusive_maximum is None:
            schema.maximum = MAX_ROW_ID
    for member in [*(schema.one_of or []), *(schema.any_of or [])]:
        _bound_row_ids(member)
    _bound_row_ids(schema.items)


def _body_model(handler: Any) -> Any:
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    import typing

    models = [t for t in typing.get_args(data.annotation) if isinstance(t, type)]
    return next((m for m in [data.annotation, *models] if isinstance(m, type)), None)


def error_statuses(route: HTTPRoute, handler: Any) -> set[int]:
    """The error statuses this operation can answer (see the module doc for the rules)."""
    statuses = {400, 503}
    methods = set(handler.http_methods)
    unsafe = bool(methods - SAFE_METHODS)
    params = handler.parsed_fn_signature.parameters
    if handler.resolve_guards():
        statuses |= {401, 403}
    if unsafe:
        statuses |= {403, 409}
        if "data" in params or "request" in params:
            statuses.add(413)
    if "data" in params and _json_body_expected(handler):
        statuses.add(415)
    model = _body_model(handler)
    body_ids = (
        isinstance(model, type)
        and issubclass(model, BaseModel)
        and any(_names_ids(n) for n in model.model_fields)
    )
    if "{" in route.path_format or body_ids or any(_names_ids(n) for n in params):
        statuses.add(404)
    statuses |= {exc.status_code for exc in handler.raises or ()}
    return statuses


def document(app: Litestar) -> None:
    """Add the derived error responses, the empty 204 and the security requirements to every
    operation in the schema. Runs once per app, before the schema is first generated."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            derived: dict[int, ResponseSpec] = {
                status: ResponseSpec(
                    data_container=ErrorOut,
                    description=DESCRIPTIONS.get(status, "Error"),
                    generate_examples=False,
                )
                for status in sorted(error_statuses(route, handler))
            }
            if handler.status_code == 204:
                derived[204] = ResponseSpec(data_container=None, description="No Content")
            handler.responses = {**derived, **(handler.responses or {})}
            if handler.resolve_guards() and handler.security is None:
                handler.security = [{"bearer": []}, {"session": []}]


class StrictBodySchemaPlugin(OpenAPISchemaPlugin):
    """Schemas of :class:`ApiIn` bodies say what the model enforces: no unknown fields."""

    def __init__(self) -> None:
        self._pydantic = PydanticSchemaPlugin()

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return isinstance(value, type) and issubclass(value, ApiIn)

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = self._pydantic.to_openapi_schema(field_definition, schema_creator)
        model = field_definition.annotation
        if model.model_config.get("extra") == "forbid":
            schema.additional_properties = False
        for name, prop in (schema.properties or {}).items():
            if names_row_ids(name):
                _bound_row_ids(prop)
        return schema
