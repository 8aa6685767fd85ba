"""Operators and their venues. Operator users see only their own operator (others: 404)."""

from __future__ import annotations

import json
from typing import Any

from audit.context import Actor
from audit.db import engine, is_postgres
from audit.domain.auditlog.services import record
from audit.domain.operators import phones, regions
from audit.domain.operators.schemas import OperatorIn, OperatorPatch, VenueIn, VenuePatch
from audit.domain.operators.tables import Operator, Venue
from audit.errors import Conflict, DomainError, NotFound
from probes.channels.base import ChannelError
from probes.channels.base import Venue as ChannelVenue
from probes.channels.registry import for_venue_kind

MAX_PROFILE_BYTES = 20_000

_VENUE_FIELDS = (
    Venue.id,
    Venue.operator.as_alias("operator_id"),
    Venue.kind,
    Venue.name,
    Venue.region_code,
    Venue.address,
    Venue.phones,
    Venue.service_numbers,
    Venue.urls,
    Venue.company_name,
    Venue.sessions_per_day,
    Venue.profile,
    Venue.active,
)


def _decode(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    # JSON columns come back as text on some engines
    for key in keys:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def can_see_operator(actor: Actor, operator_id: int) -> bool:
    return not actor.is_operator or actor.operator_id == operator_id


async def list_operators(actor: Actor) -> list[dict[str, Any]]:
    query = Operator.select().order_by(Operator.name)
    if actor.is_operator:
        query = query.where(Operator.id == actor.operator_id)
    return [_decode(r, "contacts") for r in await query.run()]


async def search_operators(
    actor: Actor, query: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of operators whose name or USCC contains ``query``, and how many match."""
    where: list[Any] = []
    if actor.is_operator:
        where.append(Operator.id == actor.operator_id)
    if query:
        # SQLite's LIKE already ignores ASCII case (and has no ILIKE)
        op = "ilike" if is_postgres() else "like"
        pattern = f"%{query}%"
        where.append(getattr(Operator.name, op)(pattern) | getattr(Operator.uscc, op)(pattern))
    rows = Operator.select().order_by(Operator.name).limit(limit).offset(offset)
    count = Operator.count()
    for clause in where:
        rows = rows.where(clause)
        count = count.where(clause)
    return [_decode(r, "contacts") for r in await rows.run()], await count.run()


async def get_operator(operator_id: int, actor: Actor) -> dict[str, Any]:
    row = await Operator.select().where(Operator.id == operator_id).first().run()
    # Not ours or not there: the same 404, so operator users can't probe for existence.
    if row is None or not can_see_operator(actor, operator_id):
        raise NotFound(f"operator {operator_id} not found")
    return _decode(row, "contacts")


async def find_operator(name_or_uscc: str) -> dict[str, Any] | None:
    key = name_or_uscc.strip()
    row = (
        await Operator.select()
        .where((Operator.name == key) | (Operator.uscc == key.upper()))
        .first()
        .run()
    )
    return _decode(row, "contacts") if row else None


async def _check_unique(name: str | None, uscc: str | None, exclude_id: int | None = None) -> None:
    if name is not None:
        q = Operator.exists().where(Operator.name == name)
        if exclude_id:
            q = q.where(Operator.id != exclude_id)
        if await q:
            raise Conflict(f"an operator named {name!r} exists", field="name")
    if uscc is not None:
        q = Operator.exists().where(Operator.uscc == uscc)
        if exclude_id:
            q = q.where(Operator.id != exclude_id)
        if await q:
            raise Conflict(f"an operator with USCC {uscc} exists", field="uscc")


async def create_operator(data: OperatorIn, actor: Actor) -> dict[str, Any]:
    await _check_unique(data.name, data.uscc)
    contacts = [c.model_dump() for c in data.contacts]
    async with engine().transaction():
        rows = (
            await Operator.insert(Operator(name=data.name, uscc=data.uscc, contacts=contacts))
            .returning(Operator.id)
            .run()
        )
        op = await get_operator(rows[0]["id"], actor)
        await record(actor, "operator.create", "operator", op["id"], None, op)
    return op


async def update_operator(operator_id: int, data: OperatorPatch, actor: Actor) -> dict[str, Any]:
    before = await get_operator(operator_id, actor)
    await _check_unique(data.name, data.uscc, exclude_id=operator_id)
    changes: dict[Any, Any] = {}
    if data.name is not None:
        changes[Operator.name] = data.name
    if data.uscc is not None:
        changes[Operator.uscc] = data.uscc
    if data.contacts is not None:
        changes[Operator.contacts] = [c.model_dump() for c in data.contacts]
    if not changes:
        return before
    async with engine().transaction():
        await Operator.update(changes).where(Operator.id == operator_id).run()
        after = await get_operator(operator_id, actor)
        await record(actor, "operator.update", "operator", operator_id, before, after)
    return after


def _region_code(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        found = regions.lookup(value)
    except ValueError as exc:  # ambiguous or empty
        raise DomainError(str(exc), field="region") from exc
    if found is None:
        raise DomainError(f"unknown region {value!r} (GB/T 2260 code or name)", field="region")
    return found.code


def _numbers(values: list[str]) -> tuple[list[str], list[str]]:
    """Split into E.164 numbers and national short service numbers (10086…)."""
    e164: list[str] = []
    short: list[str] = []
    for i, value in enumerate(values):
        try:
            number = phones.normalise_service_number(value)
        except ValueError as exc:
            raise DomainError(f"phones[{i}]: {exc}", field=f"phones[{i}]") from exc
        (e164 if number.kind == "e164" else short).append(number.value)
    return e164, short


def search_regions(query: str | None, limit: int = 50) -> list[regions.RegionRecord]:
    """Regions whose code or name contains ``query`` (all when None), prefectures first."""
    records = regions.load_regions()
    if query:
        q = query.strip()
        try:
            exact = regions.lookup(q)
        except ValueError:
            exact = None
        if exact is not None:
            return [exact]
        records = [r for r in records if q in r.code or q in r.name]
    return records[:limit]


def _profile(
    profile: dict[str, object], kind: str, name: str, urls: list[str]
) -> dict[str, object]:
    """The venue's channel profile, checked when it is saved (not first at probe time): a chat
    venue's profile must be one its probe channel can drive (``probes.channels``)."""
    if len(json.dumps(profile, ensure_ascii=False)) > MAX_PROFILE_BYTES:
        raise DomainError(f"profile is larger than {MAX_PROFILE_BYTES} bytes", field="profile")
    channel = for_venue_kind(kind)
    if profile and channel is not None and callable(getattr(channel, "profile", None)):
        venue = ChannelVenue(id=None, kind=kind, name=name, urls=tuple(urls), profile=profile)
        try:
            channel.profile(venue)  # type: ignore[attr-defined]
        except ChannelError as exc:
            raise DomainError(
                exc.message.removeprefix("venue None profile: "), field="profile"
            ) from exc
    return profile


async def list_venues(operator_id: int, actor: Actor) -> list[dict[str, Any]]:
    await get_operator(operator_id, actor)
    rows = (
        await Venue.select(*_VENUE_FIELDS)
        .where(Venue.operator == operator_id)
        .order_by(Venue.id)
        .run()
    )
    return [_decode(r, "phones", "service_numbers", "urls", "profile") for r in rows]


async def get_venue(venue_id: int, actor: Actor) -> dict[str, Any]:
    row = await Venue.select(*_VENUE_FIELDS).where(Venue.id == venue_id).first().run()
    if row is None or not can_see_operator(actor, row["operator_id"]):
        raise NotFound(f"venue {venue_id} not found")
    return _decode(row, "phones", "service_numbers", "urls", "profile")


async def create_venue(operator_id: int, data: VenueIn, actor: Actor) -> dict[str, Any]:
    await get_operator(operator_id, actor)
    e164, short = _numbers(data.phones)
    venue = Venue(
        operator=operator_id,
        kind=data.kind,
        name=data.name,
        region_code=_region_code(data.region),
        address=data.address,
        phones=e164,
        service_numbers=short,
        urls=[str(u) for u in data.urls],
        company_name=data.company_name,
        sessions_per_day=data.sessions_per_day,
        profile=_profile(data.profile, data.kind, data.name, [str(u) for u in data.urls]),
    )
    async with engine().transaction():
        rows = await Venue.insert(venue).returning(Venue.id).run()
        out = await get_venue(rows[0]["id"], actor)
        await record(actor, "venue.create", "venue", out["id"], None, out)
    return out


async def update_venue(venue_id: int, data: VenuePatch, actor: Actor) -> dict[str, Any]:
    before = await get_venue(venue_id, actor)
    changes: dict[Any, Any] = {}
    fields = data.model_fields_set
    if "region" in fields:
        changes[Venue.region_code] = _region_code(data.region)
    if data.phones is not None:
        changes[Venue.phones], changes[Venue.service_numbers] = _numbers(data.phones)
    if data.urls is not None:
        changes[Venue.urls] = [str(u) for u in data.urls]
    if data.profile is not None or data.urls is not None or data.name is not None:
        urls = [str(u) for u in data.urls] if data.urls is not None else before["urls"]
        profile = data.profile if data.profile is not None else before["profile"]
        checked = _profile(profile, before["kind"], data.name or before["name"], urls)
        if data.profile is not None:
            changes[Venue.profile] = checked
    # An explicit null clears an optional field; for a required one it is "keep".
    nullable = {"address", "company_name", "sessions_per_day"}
    for name in ("name", "address", "company_name", "sessions_per_day", "active"):
        if name in fields and (getattr(data, name) is not None or name in nullable):
            changes[getattr(Venue, name)] = getattr(data, name)
    if not changes:
        return before
    async with engine().transaction():
        await Venue.update(changes).where(Venue.id == venue_id).run()
        after = await get_venue(venue_id, actor)
        await record(actor, "venue.update", "venue", venue_id, before, after)
    return after
