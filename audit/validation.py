"""Shared edge types: what every request body and every rendered stored value goes through.

* :class:`ApiIn` — the base of every request body model (JSON, form, multipart): unknown
  fields are refused and a NUL character in any text, at any depth, is a 400 naming the
  field (PostgreSQL cannot store NUL in text; SQLite would keep a string that truncates in
  every C API it reaches). ``tests/integration/system/test_edge_validation.py`` checks that
  every route's body model derives from it.
* :data:`JsonObject` — a free-form JSON object at the edge, bounded in depth and size.
* :data:`StoredJson` / :data:`StoredObject` — stored JSON as rendered in responses: any value
  deeper than the response encoder can take (rows stored before the edge bound existed, or by
  another path) is replaced by a marker, never a 500 for the whole list.
* :data:`ObservedDatetime` / :func:`check_observed` — when something was received or observed:
  not before 2000, not more than a day in the future. :data:`PlanningDate` /
  :data:`PlanningDatetime` — dates of plans and schedules: years 2000–2099.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
)

# Deeper than any document we build (notice content is ~5 levels), far below the encoders'
# own limits (pydantic's serializer stops at ~255, the JSON parsers at ~1000).
MAX_JSON_DEPTH = 32
MAX_JSON_BYTES = 200_000
# What a response renders of stored JSON before cutting (a stored value may be deeper than
# today's edge bound; it must still leave room for the envelope around it).
MAX_RENDERED_DEPTH = 64
UNREADABLE = "[not shown: nested deeper than {} levels]"

FUTURE_SLACK = dt.timedelta(days=1)


# ---- NUL ------------------------------------------------------------------------------------


_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad_char(text: str) -> str | None:
    if "\x00" in text:
        return "NUL characters are not allowed"
    if _SURROGATE.search(text):
        # a lone UTF-16 surrogate ("\\udad7" in JSON) is no character: it cannot be encoded,
        # stored or logged as UTF-8 (it was a 500 wherever it reached an encoder)
        return "lone surrogates (\\ud800–\\udfff) are not text"
    return None


def find_bad_text(value: Any) -> tuple[str, str] | None:
    """(path, why) of the first text below ``value`` (``"[0].name"``, ``""`` for ``value``
    itself) holding a NUL or a lone surrogate, or None. Iterative: any depth."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, v = stack.pop()
        if isinstance(v, str):
            why = _bad_char(v)
            if why is not None:
                return path, why
        elif isinstance(v, dict):
            for k, item in v.items():
                key = str(k)
                why = _bad_char(key)
                if why is not None:
                    return f"{path}.{key!r}", why
                stack.append((f"{path}.{key}", item))
        elif isinstance(v, list | tuple):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(v))
        elif isinstance(getattr(v, "filename", None), str):  # an uploaded file's name
            stack.append((f"{path}.filename", v.filename))
    return None


def find_nul(value: Any) -> str | None:
    """Path below ``value`` of the first text holding a NUL (or a lone surrogate), or None."""
    found = find_bad_text(value)
    return None if found is None else found[0]


# Piccolo's Serial and ForeignKey columns are 32-bit integers on PostgreSQL: a larger id in a
# query failed there (a 500) instead of finding nothing.
MAX_ROW_ID = 2_147_483_647


def names_row_ids(name: str) -> bool:
    """Is a field or parameter of this name a row id (or a list of them)?"""
    return name == "id" or name.endswith(("_id", "_ids"))


def _row_id_out_of_range(value: Any) -> int | None:
    values = value if isinstance(value, list | tuple) else [value]
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and not 1 <= v <= MAX_ROW_ID:
            return v
    return None


class ApiIn(BaseModel):
    """Base of request bodies: no unknown fields, no NUL or lone surrogate in any text, row
    ids (``id``, ``*_id``, ``*_ids``) in 1 … :data:`MAX_ROW_ID` — each a 400 naming the field."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any, info: ValidationInfo) -> Any:
        found = find_bad_text(value)
        if found is not None:
            raise ValueError(f"{found[1]} ({info.field_name}{found[0]})")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _row_ids_in_range(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None and names_row_ids(info.field_name):
            bad = _row_id_out_of_range(value)
            if bad is not None:
                raise ValueError(f"{bad} is not an id (ids are 1 … {MAX_ROW_ID})")
        return value


# ---- free-form JSON -------------------------------------------------------------------------


def json_depth(value: Any, stop: int) -> int:
    """Nesting depth of ``value`` (a scalar is 0), counted up to ``stop + 1``. Iterative."""
    deepest = 0
    stack: list[tuple[int, Any]] = [(0, value)]
    while stack:
        depth, v = stack.pop()
        if isinstance(v, dict | list | tuple):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop:
                    return deepest
            stack.extend((depth, item) for item in (v.values() if isinstance(v, dict) else v))
    return deepest


def check_json(value: Any, max_depth: int = MAX_JSON_DEPTH, max_bytes: int = MAX_JSON_BYTES) -> Any:
    if json_depth(value, max_depth) > max_depth:
        raise ValueError(f"nested deeper than {max_depth} levels")
    if len(json.dumps(value, ensure_ascii=False, default=str)) > max_bytes:
        raise ValueError(f"larger than {max_bytes} bytes as JSON")
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(check_json)]


def clip_stored(value: Any, max_depth: int = MAX_RENDERED_DEPTH) -> Any:
    """``value`` with every part deeper than ``max_depth`` replaced by a marker; text that is
    not JSON any more (e.g. loaded too deep to parse) stays text."""
    if json_depth(value, max_depth) <= max_depth:
        return value
    marker = UNREADABLE.format(max_depth)

    def cut(v: Any, depth: int) -> Any:
        if not isinstance(v, dict | list | tuple):
            return v
        if depth >= max_depth:
            return marker
        if isinstance(v, dict):
            return {k: cut(item, depth + 1) for k, item in v.items()}
        return [cut(item, depth + 1) for item in v]

    return cut(value, 0)  # recursion bounded by max_depth


def _stored_object(value: Any) -> Any:
    value = clip_stored(load_stored(value))
    if value is None:
        return {}
    return value if isinstance(value, dict) else {"value": value}


def load_stored(value: Any) -> Any:
    """A stored JSON column as Python data (drivers return text or data); never raises."""
    if not isinstance(value, str | bytes):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        return UNREADABLE.format(MAX_RENDERED_DEPTH) if text[:1] in ("{", "[") else text


StoredJson = Annotated[Any, BeforeValidator(lambda v: clip_stored(load_stored(v)))]
StoredObject = Annotated[dict[str, Any], BeforeValidator(_stored_object)]


# ---- dates ----------------------------------------------------------------------------------


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# "Now" for the date bounds; tests that import dated examples (e.g. a leap year to come) move it.
CLOCK: Callable[[], dt.datetime] = _utcnow


def check_observed(at: dt.datetime | dt.date, now: dt.datetime | None = None) -> None:
    """Raise ValueError unless ``at`` (received/observed) is in 2000 … now + 1 day."""
    now = now or CLOCK()
    # Years first: no offset arithmetic near datetime.min/max (it would overflow).
    if at.year > now.year + 1:
        late, early = True, False
    elif isinstance(at, dt.datetime):
        aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
        early, late = at.year < 2000, aware > now + FUTURE_SLACK
    else:
        early, late = at.year < 2000, at > (now + FUTURE_SLACK).date()
    if early:
        raise ValueError(f"{at.isoformat()} is before 2000")
    if late:
        raise ValueError(f"{at.isoformat()} is more than a day in the future")


def _observed(at: dt.datetime) -> dt.datetime:
    check_observed(at)
    return at


def _planning(at: dt.datetime | dt.date) -> Any:
    if not 2000 <= at.year <= 2099:  # the local year: no offset arithmetic near the extremes
        raise ValueError(f"{at.isoformat()} is outside the years 2000–2099")
    return at


ObservedDatetime = Annotated[AwareDatetime, AfterValidator(_observed)]
PlanningDatetime = Annotated[AwareDatetime, AfterValidator(_planning)]
PlanningDate = Annotated[dt.date, AfterValidator(_planning)]


# ---- query strings and paths ----------------------------------------------------------------


def _nul_parameter(query: bytes) -> str | None:
    from urllib.parse import parse_qsl

    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "?"
    return None


def nul_guard_middleware(app: Any) -> Any:
    """400 for a NUL in the query string or path, before any handler sees it (a NUL in a query
    parameter reached PostgreSQL as text and failed there: a 500)."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string") or b""
            field = _nul_parameter(query) if b"%00" in query or b"\x00" in query else None
            raw_path = (scope.get("raw_path") or b"").split(b"?", 1)[0]
            if field is None and ("\x00" in scope.get("path", "") or b"%00" in raw_path):
                field = "path"
            if field is not None:
                body = json.dumps(
                    {
                        "status_code": 400,
                        "detail": "NUL characters are not allowed in the URL",
                        "field": field,
                    }
                ).encode()
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", b"%d" % len(body)),
                ]
                await send({"type": "http.response.start", "status": 400, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return middleware
