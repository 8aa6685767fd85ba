"""An on-site plan ready for inspections, made through the real services (creator admin,
approved by the supervisor — four eyes), and real JPEG photos (Pillow) for evidence."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any


def jpeg_bytes(seed: int, size: tuple[int, int] = (64, 48)) -> bytes:
    """A real JPEG (decodable, unique per seed: the evidence store is content-addressed)."""
    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    for _ in range(40):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        image.putpixel((x, y), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


async def on_site_plan(
    cast: Any,
    venue_id: int,
    version_id: int,
    name: str = "营业厅现场检查",
    activate: bool = True,
) -> dict[str, Any]:
    """A targeted on-site plan of one venue, both cast inspectors assigned, window today."""
    from audit.domain.plans.schemas import PlanIn
    from audit.domain.plans.services import create_plan, transition

    now = dt.datetime.now(dt.UTC)
    plan = await create_plan(
        PlanIn(
            name=name,
            operator_id=await _operator_of(venue_id),
            method="open",
            sampling="targeted",
            venue_ids=[venue_id],
            checklist_version_ids=[version_id],
            inspector_ids=[cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]],
            window_start=now - dt.timedelta(hours=2),
            window_end=now + dt.timedelta(days=2),
            on_site=True,
        ),
        cast.actor("admin"),
    )
    plan = await transition(plan["id"], "approve", cast.actor("supervisor"))
    if activate:
        plan = await transition(plan["id"], "activate", cast.actor("supervisor"))
    return plan


async def _operator_of(venue_id: int) -> int:
    from audit.domain.operators.tables import Venue

    row = await Venue.select(Venue.operator).where(Venue.id == venue_id).first()
    assert row is not None
    return int(row["operator"])
