"""A small world for page tests: the usual cast, a venue of each operator, and the shipped
checklists as versions. Page tests (HTTP and browser) build on it; a helper adding pages adds
the records its pages list here, so the crawl reaches their detail pages too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class WebWorld:
    cast: Any
    venues: dict[str, dict[str, Any]] = field(default_factory=dict)
    checklist_versions: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)
    probe_runs: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)

    def user(self, name: str) -> dict[str, Any]:
        return dict(self.cast.users[name])


async def build_world(cast: Any) -> WebWorld:
    from audit.context import SYSTEM
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue
    from audit.domain.plans.checklist_versions import import_checklist
    from checklists.loader import CHECKLIST_DIR, checklist_files, load_checklist

    world = WebWorld(cast)
    world.venues["a_hotline"] = await create_venue(
        cast.operator_a["id"],
        VenueIn(
            kind="hotline",
            name="甲通信客服热线",
            region="南京市",
            phones=["+862584001234", "10010"],
        ),
        SYSTEM,
    )
    world.venues["b_hall"] = await create_venue(
        cast.operator_b["id"],
        VenueIn(
            kind="business_hall", name="乙通信新街口营业厅", region="南京市", address="新街口 1 号"
        ),
        SYSTEM,
    )
    for path in checklist_files(CHECKLIST_DIR):
        row, _ = await import_checklist(
            load_checklist(path), SYSTEM, source=f"checklists/{path.name}"
        )
        world.checklist_versions.append(row)
    await _portal_records(world)
    await _plan_records(world)
    await _inspection_records(world)
    await _probe_records(world)
    return world


async def _plan_records(world: WebWorld) -> None:
    """A draft on-site plan (operator B's hall, both inspectors) written by the admin, so the
    supervisor's page offers "approve" (four eyes); the plans pages list and show it."""
    import datetime as dt

    from audit.domain.plans.schemas import PlanIn
    from audit.domain.plans.services import create_plan

    cast = world.cast
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    hall = next(v["id"] for v in world.checklist_versions if "business_hall" in v["applies_to"])
    plan = await create_plan(
        PlanIn(
            name="乙通信营业厅现场检查",
            operator_id=cast.operator_b["id"],
            method="open",
            sampling="comprehensive",
            venue_ids=[world.venues["b_hall"]["id"]],
            checklist_version_ids=[hall],
            inspector_ids=[cast.users["inspector1"]["id"], cast.users["inspector2"]["id"]],
            window_start=start,
            window_end=start + dt.timedelta(days=7),
        ),
        cast.actor("admin"),
    )
    world.plans.append(plan)


async def _inspection_records(world: WebWorld) -> None:
    """An open on-site inspection of operator B's hall with a failed item and its photo (the
    inspection form's page)."""
    from audit.domain.inspections import services
    from audit.domain.inspections.answers import AnswerWrite
    from tests.inspection_world import jpeg_bytes, on_site_plan

    cast = world.cast
    version = next(v for v in world.checklist_versions if v["checklist_key"] == "business-hall")
    hall = world.venues["b_hall"]["id"]
    plan = await on_site_plan(cast, hall, version["id"], name="乙通信营业厅现场检查(进行中)")
    inspector = cast.actor("inspector1")
    inspection = await services.open_inspection(plan["id"], hall, None, inspector)
    write = AnswerWrite("environment.clean", "fail", "地面有积水", "", "world-answer-1")
    await services.record_answer(inspection["id"], write, inspector)
    await services.attach_evidence(
        inspection["id"], "environment.clean", jpeg_bytes(1), "photo", "现场.jpg", inspector
    )
    world.inspections.append(inspection)


async def _probe_records(world: WebWorld) -> None:
    """A mystery-shopper recording sent in (a judged voice run with its waveform) and a scored
    chat run (the probe-run pages' two kinds of detail page)."""
    import datetime as dt
    import io
    import wave

    import numpy as np

    from audit.domain.probing.recordings import RecordingUpload, store_recording
    from audit.domain.probing.tables import ProbeRun
    from probes.audio import synth

    samples, _ = synth.silent_call([5.0, 5.0], final_wait_s=5.0)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.asarray(samples).astype("<i2").tobytes())
    at = dt.datetime(2026, 3, 10, 6, 5, tzinfo=dt.UTC)
    form = RecordingUpload.model_construct(
        file=None, venue_id=world.venues["a_hotline"]["id"], called_at=at,
        transcript="您好,甲通信,请问有什么可以帮您?", ivr_offset_s=None, channel=None,
        inspection_id=None, company=None,
    )  # fmt: skip
    world.probe_runs.append(
        await store_recording(
            form, buf.getvalue(), world.cast.actor("supervisor"), file_name="a.wav"
        )
    )
    messages = [
        {"from": "customer", "at": "2026-03-10T06:00:00.000Z", "text": "请问套餐怎么改?"},
        {"from": "agent", "at": "2026-03-10T06:00:20.000Z", "text": "您好,请问有什么可以帮您?"},
    ]
    rows = await ProbeRun.insert(
        ProbeRun(
            kind="chat",
            status="completed",
            venue=None,
            operator=world.cast.operator_b["id"],
            target="https://chat.example.test/",
            provider="browser",
            outcome="completed",
            measures={"first_response_seconds": 20.0, "greeting_ok": True, "taboos": []},
            observations={
                "transcript": {"messages": messages},
                "details": {
                    "reply_delays": [{"customer_index": 0, "agent_index": 1, "seconds": 20.0}],
                    "long_waits": [],
                    "phrase_matches": [{"element": "greeting", "segment": 1, "start": 0, "end": 2}],
                },
                "items": [
                    {
                        "id": "response.first_reply",
                        "result": "pass",
                        "reason": "first_response_seconds=20.0 satisfies the rule",
                    }
                ],
                "verdict": "pass",
            },
            started_at=at,
            created_at=at,
        )
    ).returning(ProbeRun.id)
    world.probe_runs.append({"id": rows[0]["id"], "kind": "chat"})
    await _campaign(world)


async def _campaign(world: WebWorld) -> None:
    """An active plan on operator A's hotline with a scheduled campaign (the campaign pages)."""
    import datetime as dt

    from audit.domain.campaigns import services as campaigns
    from audit.domain.campaigns.schemas import CampaignIn
    from audit.domain.plans.tables import AuditPlan, PlanInspector, PlanVenue

    cast = world.cast
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    plan_id = (
        await AuditPlan.insert(
            AuditPlan(
                name="热线拨测计划", operator=cast.operator_a["id"], method="covert",
                sampling="comprehensive", window_start=start,
                window_end=start + dt.timedelta(days=60), status="active",
            )
        ).returning(AuditPlan.id)
    )[0]["id"]  # fmt: skip
    await PlanInspector.insert(
        PlanInspector(plan=plan_id, inspector=cast.users["inspector1"]["id"])
    )
    venue_id = world.venues["a_hotline"]["id"]
    await PlanVenue.insert(PlanVenue(plan=plan_id, venue=venue_id, in_sample=True, position=0))
    later = start + dt.timedelta(days=20)
    data = CampaignIn.model_validate(
        {
            "plan_id": plan_id, "name": "季度热线拨测", "targets": [{"venue_id": venue_id}],
            "schedule": {
                "windows": [{"kind": "fixed", "start": later.isoformat(),
                             "end": (later + dt.timedelta(hours=2)).isoformat()}],
                "runs_per_target": 2, "caller_ids": ["+861055550000"], "seed": 5,
                "holiday_calendar": False,
            },
        }
    )  # fmt: skip
    campaign = await campaigns.create_campaign(data, cast.actor("supervisor"))
    await campaigns.transition(campaign["id"], "schedule", cast.actor("supervisor"))
    world.campaigns.append(campaign)


async def _portal_records(world: WebWorld) -> None:
    """An issued rectification notice to operator A with a disputed finding and a reported
    rectification (the portal's and the tracking pages' detail pages)."""
    import datetime as dt

    from audit.domain.notices import issuing, services
    from audit.domain.portal import items, operator_side
    from audit.notices import demo

    cast = world.cast
    content = demo.rectification(long=False).model_dump(mode="json")
    content["deadline"] = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    draft = await services.create_draft(
        cast.actor("inspector1"), "rectification", cast.operator_a["id"], content
    )
    await services.approve(draft["id"], cast.actor("supervisor"))
    notice = await issuing.issue(draft["id"], cast.actor("supervisor"))
    world.notices.append(notice)
    first, second, *_ = await items.list_items(notice_id=notice["id"])
    op = cast.actor("op_a")
    await operator_side.file_dispute(first["id"], op, "证据不足", "撤销该问题")
    await operator_side.report_rectification(second["id"], op, "已完成培训", dt.date.today())
