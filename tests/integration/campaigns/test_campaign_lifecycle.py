"""Campaign lifecycle: draft → scheduled → running → paused → completed/canceled."""

import datetime as dt
from typing import Any

import pytest

from audit.domain.campaigns import dispatch, services
from audit.domain.campaigns.schemas import CampaignIn
from audit.domain.campaigns.tables import CampaignRun
from audit.errors import DomainError, InvalidTransition, NotFound


def campaign_in(setup: dict[str, Any], **kw: Any) -> CampaignIn:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    data: dict[str, Any] = {
        "plan_id": setup["plan_id"],
        "name": "热线接通率",
        "targets": [{"venue_id": v} for v in setup["venues"]],
        "schedule": {
            "windows": [
                {
                    "kind": "fixed",
                    "start": start.isoformat(),
                    "end": (start + dt.timedelta(seconds=4)).isoformat(),
                }
            ],
            "runs_per_target": 2,
            "holiday_calendar": False,
            "caller_ids": ["+8613900000001", "+8613900000002"],
            "seed": 7,
        },
        **kw,
    }
    return CampaignIn.model_validate(data)


async def statuses(campaign_id: int) -> list[str]:
    rows = await CampaignRun.select(CampaignRun.status).where(CampaignRun.campaign == campaign_id)
    return sorted(r["status"] for r in rows)


async def test_schedule_plans_the_runs(plan_setup: dict[str, Any]) -> None:
    actor = plan_setup["cast"].actor("inspector1")
    c = await services.create_campaign(campaign_in(plan_setup), actor)
    assert c["status"] == "draft" and len(c["targets"]) == 2
    assert c["targets"][0]["number"] == "+8657110001"
    c = await services.transition(c["id"], "schedule", actor)
    assert c["status"] == "scheduled"
    assert await statuses(c["id"]) == ["planned"] * 4


async def test_pause_returns_queued_runs_and_resume_continues(plan_setup: dict[str, Any]) -> None:
    actor = plan_setup["cast"].actor("inspector1")
    c = await services.create_campaign(campaign_in(plan_setup), actor)
    await services.transition(c["id"], "schedule", actor)
    assert await dispatch.start_due_campaigns() == [c["id"]]
    queued = await dispatch.queue_due_runs(limit=1)
    assert len(queued) == 1
    claimed = await dispatch.claim(queued[0])
    assert claimed is not None
    more = await dispatch.queue_due_runs(limit=10)
    assert len(more) == 3
    await services.transition(c["id"], "pause", actor)
    # The running one finishes; queued ones are back to planned; nothing new is queued.
    assert await statuses(c["id"]) == ["planned", "planned", "planned", "running"]
    assert await dispatch.queue_due_runs(limit=10) == []
    assert await dispatch.claim(more[0]) is None
    assert await dispatch.finish(claimed.run_id, claimed.token, {"outcome": "busy"})
    await services.transition(c["id"], "resume", actor)
    assert len(await dispatch.queue_due_runs(limit=10)) == 3
    p = await services.progress(c["id"], actor)
    assert (p["done"], p["queued"], p["remaining"], p["answer_rate"]) == (1, 3, 3, 0.0)


async def test_pause_between_selecting_and_queueing_queues_nothing(
    plan_setup: dict[str, Any],
) -> None:
    # The dispatcher picks due runs, a pause commits, then the dispatcher queues its pick:
    # the queueing must see the pause (a run queued then stayed queued while paused).
    actor = plan_setup["cast"].actor("inspector1")
    c = await services.create_campaign(campaign_in(plan_setup), actor)
    await services.transition(c["id"], "schedule", actor)
    assert await dispatch.start_due_campaigns() == [c["id"]]
    at = dispatch.now()
    picked = await dispatch.due_runs(10, at)
    assert len(picked) == 4
    await services.transition(c["id"], "pause", actor)
    assert await dispatch.queue_runs(picked, at) == []
    assert await statuses(c["id"]) == ["planned"] * 4
    await services.transition(c["id"], "resume", actor)
    assert len(await dispatch.queue_runs(picked, at)) == 4


async def test_completion_when_nothing_is_left(plan_setup: dict[str, Any]) -> None:
    actor = plan_setup["cast"].actor("supervisor")
    c = await services.create_campaign(campaign_in(plan_setup), actor)
    await services.transition(c["id"], "schedule", actor)
    await services.transition(c["id"], "start", actor)
    for run_id in await dispatch.queue_due_runs(limit=10):
        got = await dispatch.claim(run_id)
        assert got is not None
        assert await dispatch.complete_finished_campaigns() == []
        await dispatch.finish(got.run_id, got.token, {"outcome": "answered", "answer_seconds": 4})
    assert await dispatch.complete_finished_campaigns() == [c["id"]]
    p = await services.progress(c["id"], actor)
    assert (p["status"], p["done"], p["answer_rate"]) == ("completed", 4, 1.0)


async def test_cancel_cancels_what_has_not_started(plan_setup: dict[str, Any]) -> None:
    actor = plan_setup["cast"].actor("inspector1")
    c = await services.create_campaign(campaign_in(plan_setup), actor)
    await services.transition(c["id"], "schedule", actor)
    await services.transition(c["id"], "start", actor)
    first = (await dispatch.queue_due_runs(limit=1))[0]
    got = await dispatch.claim(first)
    c = await services.transition(c["id"], "cancel", actor)
    assert c["status"] == "canceled"
    assert await statuses(c["id"]) == ["canceled", "canceled", "canceled", "running"]
    assert got is not None and await dispatch.finish(
        got.run_id, got.token, {"outcome": "answered", "answer_seconds": 2}
    )


async def test_transitions_not_allowed_are_refused(plan_setup: dict[str, Any]) -> None:
    actor = plan_setup["cast"].actor("inspector1")
    c = await services.create_campaign(campaign_in(plan_setup), actor)
    with pytest.raises(InvalidTransition, match="cannot resume a campaign that is draft"):
        await services.transition(c["id"], "resume", actor)
    await services.transition(c["id"], "schedule", actor)
    with pytest.raises(InvalidTransition):
        await services.transition(c["id"], "schedule", actor)


async def test_impossible_schedule_names_the_field(plan_setup: dict[str, Any]) -> None:
    actor = plan_setup["cast"].actor("inspector1")
    data = campaign_in(plan_setup)
    data.schedule.min_spacing_s = 3600
    c = await services.create_campaign(data, actor)
    with pytest.raises(DomainError) as err:
        await services.transition(c["id"], "schedule", actor)
    assert err.value.field == "schedule.min_spacing_s"


async def test_venue_of_another_operator_is_refused(plan_setup: dict[str, Any]) -> None:
    actor = plan_setup["cast"].actor("inspector1")
    data = campaign_in(plan_setup, targets=[{"venue_id": plan_setup["other_venue"]}])
    with pytest.raises(DomainError) as err:
        await services.create_campaign(data, actor)
    assert err.value.field == "targets[0].venue_id"


async def test_covert_campaign_is_hidden_from_the_operator(plan_setup: dict[str, Any]) -> None:
    cast = plan_setup["cast"]
    c = await services.create_campaign(campaign_in(plan_setup), cast.actor("inspector1"))
    with pytest.raises(NotFound):
        await services.get_campaign(c["id"], cast.actor("op_a"))
    assert await services.list_campaigns(cast.actor("op_a")) == []
