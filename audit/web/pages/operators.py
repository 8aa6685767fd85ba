"""Operators and venues: list and search, create and edit, with the registry's own validators
(USCC checksum, E.164 numbers, URLs, chat profiles) reported inline at save time."""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from litestar import Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Template

from audit.api import CurrentActor, Id, Offset
from audit.domain.operators import services
from audit.domain.operators.schemas import OperatorIn, OperatorPatch, VenueIn, VenuePatch
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, blank_to_none, lines, page_needs, read_form, submit

PAGE_SIZE = 50
VENUE_KINDS = {
    "hotline": N_("Hotline"),
    "web_chat": N_("Web chat"),
    "chat_api": N_("Chat API"),
    "business_hall": N_("Business hall"),
    "agency_point": N_("Agency point"),
    "info_line": N_("Information line"),
}
Query = Annotated[str | None, QueryParameter(max_length=100)]


def kind_options() -> list[tuple[str, str]]:
    return [(k, gettext(v)) for k, v in VENUE_KINDS.items()]


# ---- form ⇄ schema ---------------------------------------------------------------------------


def _contacts(text: Any) -> list[dict[str, str]]:
    """One contact per line: ``name | role | phone | email`` (the later parts optional)."""
    out = []
    for line in lines(text):
        parts = [p.strip() for p in line.split("|")] + ["", "", ""]
        contact = {"name": parts[0], "role": parts[1]}
        if parts[2]:
            contact["phone"] = parts[2]
        if parts[3]:
            contact["email"] = parts[3]
        out.append(contact)
    return out


def _contacts_text(contacts: list[dict[str, Any]]) -> str:
    return "\n".join(
        " | ".join(
            [c.get("name") or "", c.get("role") or "", c.get("phone") or "", c.get("email") or ""]
        ).rstrip(" |")
        for c in contacts
    )


def _operator_data(form: dict[str, Any]) -> dict[str, Any]:
    data = {
        "name": form.get("name", ""),
        "uscc": form.get("uscc"),
        "contacts": _contacts(form.get("contacts")),
    }
    return blank_to_none(data, "uscc")


def _profile(text: Any) -> tuple[dict[str, Any], str | None]:
    """The profile textarea (YAML or JSON) as a mapping, or the reason it is not one."""
    if text is None or not str(text).strip():
        return {}, None
    try:
        value = yaml.safe_load(str(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = gettext("line %(n)s: ", n=mark.line + 1) if mark else ""
        return {}, where + gettext("not valid YAML or JSON")
    if not isinstance(value, dict):
        return {}, gettext("the profile must be a mapping of settings (key: value)")
    return value, None


def _venue_data(form: dict[str, Any], with_kind: bool) -> tuple[dict[str, Any], dict[str, str]]:
    profile, problem = _profile(form.get("profile"))
    data: dict[str, Any] = {
        "name": form.get("name", ""),
        "region": form.get("region"),
        "address": form.get("address"),
        "phones": lines(form.get("phones")),
        "urls": lines(form.get("urls")),
        "company_name": form.get("company_name"),
        "sessions_per_day": form.get("sessions_per_day"),
        "profile": profile,
    }
    if with_kind:
        data["kind"] = form.get("kind", "")
    else:
        data["active"] = form.get("active") == "on"
    blank_to_none(data, "region", "address", "company_name", "sessions_per_day")
    return data, ({"profile": problem} if problem else {})


def _venue_form_values(venue: dict[str, Any]) -> dict[str, Any]:
    return {
        **venue,
        "region": venue.get("region_code") or "",
        "phones": "\n".join([*venue.get("phones", []), *venue.get("service_numbers", [])]),
        "urls": "\n".join(venue.get("urls", [])),
        "profile": yaml.safe_dump(venue["profile"], allow_unicode=True, sort_keys=False)
        if venue.get("profile")
        else "",
    }


# ---- pages -----------------------------------------------------------------------------------


def _operator_form(
    operator: dict[str, Any] | None, values: dict[str, Any], errors: dict[str, str]
) -> Template:
    return Template(
        "operators/form.html.j2",
        context={"operator": operator, "values": values, "errors": errors},
        status_code=422 if errors else 200,
    )


def _venue_form(
    operator: dict[str, Any],
    venue: dict[str, Any] | None,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Template:
    return Template(
        "operators/venue_form.html.j2",
        context={
            "operator": operator,
            "venue": venue,
            "values": values,
            "errors": errors,
            "kinds": kind_options(),
        },
        status_code=422 if errors else 200,
    )


class OperatorPages(PageController):
    path = "/ui/operators"

    @get("/", guards=[page_needs("workbench")])
    async def index(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        q: Query = None,
        offset: Offset = 0,
    ) -> Template:
        rows, total = await services.search_operators(actor, q, PAGE_SIZE, offset)
        context = {
            "operators": rows,
            "total": total,
            "q": q or "",
            "offset": offset,
            "page_size": PAGE_SIZE,
        }
        htmx = getattr(request, "htmx", None)
        name = (
            "operators/_results.html.j2" if htmx and not htmx.boosted else "operators/list.html.j2"
        )
        return Template(name, context=context)

    @get("/new", guards=[page_needs("registry.write")])
    async def new(self) -> Template:
        return _operator_form(None, {}, {})

    @post("/new", guards=[page_needs("registry.write")])
    async def create(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
        form = await read_form(request)

        async def save(model: OperatorIn) -> dict[str, Any]:
            return await services.create_operator(model, actor)

        done, errors = await submit(
            OperatorIn, _operator_data(form), save, lambda row: f"/ui/operators/{row['id']}"
        )
        return done or _operator_form(None, form, errors)

    @get("/{operator_id:int}", guards=[page_needs("workbench")])
    async def detail(self, operator_id: Id, actor: CurrentActor) -> Template:
        operator = await services.get_operator(operator_id, actor)
        venues = await services.list_venues(operator_id, actor)
        return Template(
            "operators/detail.html.j2",
            context={"operator": operator, "venues": venues, "kinds": dict(kind_options())},
        )

    @get("/{operator_id:int}/edit", guards=[page_needs("registry.write")])
    async def edit(self, operator_id: Id, actor: CurrentActor) -> Template:
        operator = await services.get_operator(operator_id, actor)
        values = {
            **operator,
            "contacts": _contacts_text(operator["contacts"]),
            "uscc": operator["uscc"] or "",
        }
        return _operator_form(operator, values, {})

    @post("/{operator_id:int}/edit", guards=[page_needs("registry.write")])
    async def update(
        self, operator_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        operator = await services.get_operator(operator_id, actor)
        form = await read_form(request)

        async def save(model: OperatorPatch) -> None:
            await services.update_operator(operator_id, model, actor)

        done, errors = await submit(
            OperatorPatch, _operator_data(form), save, f"/ui/operators/{operator_id}"
        )
        return done or _operator_form(operator, form, errors)

    @get("/{operator_id:int}/venues/new", guards=[page_needs("registry.write")])
    async def new_venue(self, operator_id: Id, actor: CurrentActor) -> Template:
        operator = await services.get_operator(operator_id, actor)
        return _venue_form(operator, None, {"kind": "hotline"}, {})

    @post("/{operator_id:int}/venues/new", guards=[page_needs("registry.write")])
    async def create_venue(
        self, operator_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        operator = await services.get_operator(operator_id, actor)
        form = await read_form(request)
        data, form_errors = _venue_data(form, with_kind=True)

        async def save(model: VenueIn) -> None:
            await services.create_venue(operator_id, model, actor)

        done, errors = await submit(
            VenueIn, data, save, f"/ui/operators/{operator_id}", form_errors
        )
        return done or _venue_form(operator, None, form, errors)


class VenuePages(PageController):
    path = "/ui/venues"

    @get("/{venue_id:int}/edit", guards=[page_needs("registry.write")])
    async def edit(self, venue_id: Id, actor: CurrentActor) -> Template:
        venue = await services.get_venue(venue_id, actor)
        operator = await services.get_operator(venue["operator_id"], actor)
        return _venue_form(operator, venue, _venue_form_values(venue), {})

    @post("/{venue_id:int}/edit", guards=[page_needs("registry.write")])
    async def update(
        self, venue_id: Id, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        venue = await services.get_venue(venue_id, actor)
        operator = await services.get_operator(venue["operator_id"], actor)
        form = await read_form(request)
        data, form_errors = _venue_data(form, with_kind=False)

        async def save(model: VenuePatch) -> None:
            await services.update_venue(venue_id, model, actor)

        done_url = f"/ui/operators/{venue['operator_id']}"
        done, errors = await submit(VenuePatch, data, save, done_url, form_errors)
        return done or _venue_form(operator, venue, {**form, "kind": venue["kind"]}, errors)


ROUTES = [OperatorPages, VenuePages]
NAV = [NavItem(N_("Operators"), "/ui/operators", "workbench", order=20)]
DETAIL = {"operator": "/ui/operators/{id}"}
