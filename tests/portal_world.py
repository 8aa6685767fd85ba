"""A notice with two findings of operator A's hotline, made the way the product makes them:
a covert plan, an inspection with a probe result (silent call, failed, with its recording) and a
manual answer (staff number, failed, recorded by the supervisor), submitted, published, drafted
into a rectification notice and issued. Finding 1 is the probe's, finding 2 the manual one."""

from __future__ import annotations

import datetime as dt
import io
import wave
from dataclasses import dataclass
from typing import Any

PROBE_ITEM = "silent.protocol"
MANUAL_ITEM = "conduct.staff_number"


def wav_bytes(seconds: float = 0.2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buf.getvalue()


def png_bytes() -> bytes:
    """A real 1×1 PNG (a 'photo' of the rectification)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class World:
    cast: Any
    venue_id: int
    plan_id: int
    inspection_id: int
    notice: dict[str, Any]
    items: list[dict[str, Any]]

    def item(self, code: str) -> dict[str, Any]:
        return next(i for i in self.items if i["item_code"] == code)


async def add_supervisor2(cast: Any) -> None:
    """A second supervisor (the one who did not record the finding)."""
    from audit.domain.accounts.passwords import digest
    from audit.domain.accounts.services import get_user
    from audit.domain.accounts.tables import ApiToken, User

    if "supervisor2" in cast.users:
        return
    existing = await User.select(User.password_hash).where(User.username == "supervisor").first()
    rows = await User.insert(
        User(
            username="supervisor2",
            role="supervisor",
            password_hash=existing["password_hash"],
            email="supervisor2@regulator.example",
        )
    ).returning(User.id)
    token = "sqa_test_supervisor2_token"
    await ApiToken.insert(
        ApiToken(user=rows[0]["id"], name="test", token_hash=digest(token), prefix=token[:12])
    )
    cast.users["supervisor2"] = await get_user(rows[0]["id"])
    cast.tokens["supervisor2"] = token


async def build(cast: Any, phone: str = "+861055550102", deadline_days: int = 10) -> World:
    from audit import clock
    from audit.context import SYSTEM
    from audit.domain.inspections import services as inspections
    from audit.domain.inspections import submission as inspection_findings
    from audit.domain.inspections.answers import AnswerWrite
    from audit.domain.notices import issuing
    from audit.domain.notices import services as notices
    from audit.domain.notices.drafts import create_rectification_draft
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.operators.tables import Venue
    from audit.domain.plans import services as plans
    from audit.domain.plans.checklist_versions import import_checklist, pinned_checklist
    from audit.domain.plans.schemas import PlanIn
    from audit.domain.portal import items
    from checklists.loader import CHECKLIST_DIR, load_all

    await add_supervisor2(cast)
    insp1, sup = cast.actor("inspector1"), cast.actor("supervisor")
    venue = await create_venue(
        cast.operator_a["id"], VenueIn(kind="hotline", name="客服热线", region="330100"), SYSTEM
    )
    await Venue.update({Venue.phones: [phone], Venue.company_name: "示例电信"}).where(
        Venue._meta.primary_key == venue["id"]
    )
    version, _ = await import_checklist(load_all(CHECKLIST_DIR)["hotline"], SYSTEM)
    now = clock.now()
    plan = await plans.create_plan(
        PlanIn(
            name="2026 热线暗访",
            operator_id=cast.operator_a["id"],
            method="covert",
            sampling="targeted",
            venue_ids=[venue["id"]],
            checklist_version_ids=[version["id"]],
            inspector_ids=[cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]],
            window_start=now - dt.timedelta(days=5),
            window_end=now + dt.timedelta(days=25),
        ),
        cast.actor("admin"),
    )
    for action in ("approve", "activate"):
        await plans.transition(plan["id"], action, sup)
    inspection = await inspections.open_inspection(plan["id"], venue["id"], None, insp1)
    checklist = await pinned_checklist(version["id"])
    from audit.db import engine

    async with engine().transaction():  # one connection for the many answers (PostgreSQL)
        for item in checklist.items():
            if item.id == PROBE_ITEM:
                await inspections.record_item_result(
                    inspection["id"],
                    item.id,
                    None,
                    {"silent_call": {"verdict": "fail"}},
                    [inspections.EvidenceUpload(wav_bytes(), "recording", "probe-call.wav")],
                    insp1,
                    note="坐席仅问候一次即挂机",
                )
            elif item.id == MANUAL_ITEM:
                await inspections.record_answer(
                    inspection["id"], AnswerWrite(item.id, "fail", "被询问工号时拒绝告知"), sup
                )
                await inspections.attach_evidence(
                    inspection["id"], item.id, wav_bytes(0.3), "recording", "staff.wav", sup
                )
            else:
                await inspections.record_answer(
                    inspection["id"], AnswerWrite(item.id, "pass"), insp1
                )
    await inspection_findings.submit_inspection(inspection["id"], insp1)
    for action in ("complete", "publish"):
        await plans.transition(plan["id"], action, sup)
    deadline = clock.today("Asia/Shanghai") + dt.timedelta(days=deadline_days)
    draft = await create_rectification_draft(inspection["id"], insp1, deadline=deadline)
    content = dict(draft["content"])
    content["findings"] = [
        {**f, "rectification": "按规范整改并开展培训"} for f in content["findings"]
    ]
    await notices.update_draft(draft["id"], insp1, content)
    await notices.approve(draft["id"], sup)
    notice = await issuing.issue(draft["id"], sup)
    return World(
        cast,
        venue["id"],
        plan["id"],
        inspection["id"],
        notice,
        await items.list_items(notice_id=notice["id"]),
    )
