"""A small world for plan and inspection tests: venues of two operators and the shipped
checklists stored as versions. Built through the real services (no mocks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from checklists.loader import CHECKLIST_DIR, load_all

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + b"\x01" * 40
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def unique_png(tag: str = "") -> bytes:
    """PNG-signed bytes no other test stores (the evidence directory is shared by a run)."""
    import os

    return PNG + tag.encode() + os.urandom(16)


def wav_bytes(seconds: float = 0.2, rate: int = 8000) -> bytes:
    import io
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * int(seconds * rate))
    return buf.getvalue()


@dataclass
class World:
    cast: Any
    venues: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def uid(self, name: str) -> int:
        return int(self.cast.users[name]["id"])

    def plan_body(self, **overrides: Any) -> dict[str, Any]:
        start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        body: dict[str, Any] = {
            "name": "2026年第一季度营业厅抽查",
            "operator_id": self.cast.operator_a["id"],
            "method": "open",
            "sampling": "targeted",
            "venue_ids": [self.venues["hall_hz"]["id"]],
            "checklist_version_ids": [self.versions["business-hall"]["id"]],
            "inspector_ids": [self.uid("inspector1"), self.uid("inspector2")],
            "window_start": start.isoformat(),
            "window_end": (start + dt.timedelta(days=30)).isoformat(),
        }
        body.update(overrides)
        return body


async def build_world(cast: Any) -> World:
    from audit.context import SYSTEM
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.plans.checklist_versions import import_checklist

    world = World(cast)
    a, b = cast.operator_a["id"], cast.operator_b["id"]
    specs = {
        "hall_hz": (a, "business_hall", "杭州延安路营业厅", "330100"),
        "hall_nb": (a, "business_hall", "宁波中山路营业厅", "330200"),
        "agency_bj": (a, "agency_point", "北京西单代办点", "110000"),
        "hotline": (a, "hotline", "甲通信客服热线", "330100"),
        "chat": (a, "web_chat", "甲通信在线客服", "330100"),
        "b_hall": (b, "business_hall", "南京新街口营业厅", "320100"),
    }
    for key, (operator_id, kind, name, region) in specs.items():
        world.venues[key] = await create_venue(
            operator_id, VenueIn(kind=kind, name=name, region=region), SYSTEM
        )
    for key, checklist in load_all(CHECKLIST_DIR).items():
        world.versions[key], _ = await import_checklist(checklist, SYSTEM, source="shipped")
    return world


async def active_plan(client: Any, world: World, **overrides: Any) -> dict[str, Any]:
    """Create, approve and activate a plan through the API."""
    cast = world.cast
    r = await client.post(
        "/plans", json=world.plan_body(**overrides), headers=cast.headers("admin")
    )
    assert r.status_code == 201, r.text
    plan = r.json()
    r = await client.post(f"/plans/{plan['id']}/approve", headers=cast.headers("supervisor"))
    assert r.status_code == 200, r.text
    r = await client.post(f"/plans/{plan['id']}/activate", headers=cast.headers("supervisor"))
    assert r.status_code == 200, r.text
    return r.json()


async def inspect_all_pass(
    client: Any, world: World, plan: dict[str, Any], venue_key: str, who: str = "inspector1"
) -> dict[str, Any]:
    """Open an inspection of ``venue_key``, answer every item ``pass`` and submit it."""
    headers = world.cast.headers(who)
    venue_id = world.venues[venue_key]["id"]
    r = await client.post(
        f"/plans/{plan['id']}/inspections", json={"venue_id": venue_id}, headers=headers
    )
    assert r.status_code == 201, r.text
    inspection = r.json()
    version = (
        await client.get(
            f"/checklists/versions/{inspection['checklist_version_id']}", headers=headers
        )
    ).json()
    for section in version["content"]["sections"]:
        for item in section["items"]:
            r = await client.put(
                f"/inspections/{inspection['id']}/items/{item['id']}",
                json={"result": "pass"},
                headers=headers,
            )
            assert r.status_code == 200, r.text
    return await submit_confirmed(client, world, inspection["id"], who)


async def submit_confirmed(
    client: Any, world: World, inspection_id: int, who: str = "inspector1"
) -> dict[str, Any]:
    """Submit; an on-site inspection (pending) is then confirmed by the other inspector."""
    r = await client.post(f"/inspections/{inspection_id}/submit", headers=world.cast.headers(who))
    assert r.status_code == 200, r.text
    if r.json()["status"] == "pending":
        partner = "inspector2" if who == "inspector1" else "inspector1"
        r = await client.post(
            f"/inspections/{inspection_id}/confirm", headers=world.cast.headers(partner)
        )
        assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted", r.text
    return r.json()


async def completed_plan(
    client: Any, world: World, publish: bool = False, **overrides: Any
) -> dict[str, Any]:
    plan = await active_plan(client, world, **overrides)
    for venue_key, venue in world.venues.items():
        if venue["id"] in plan["sample"]:
            await inspect_all_pass(client, world, plan, venue_key)
    sup = world.cast.headers("supervisor")
    r = await client.post(f"/plans/{plan['id']}/complete", headers=sup)
    assert r.status_code == 200, r.text
    if publish:
        r = await client.post(f"/plans/{plan['id']}/publish", headers=sup)
        assert r.status_code == 200, r.text
    return r.json()
