"""A campaign probes only what its plan covers: targets among the plan's venues, runs inside
the plan's window (seed 004 范文4 Art. 6: the plan fixes target and time). Refusals are 400s
naming the field, from the service, so the API and the page say the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from audit.domain.campaigns import services
from audit.domain.campaigns.schemas import CampaignIn
from audit.domain.campaigns.tables import CampaignRun
from audit.domain.operators.tables import Venue
from audit.domain.plans.tables import AuditPlan
from audit.errors import DomainError

WINDOW_START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Monday
WINDOW_END = dt.datetime(2026, 3, 6, 4, 0, tzinfo=dt.UTC)  # Friday 12:00 in Shanghai


@pytest.fixture
async def bounded(plan_setup: dict[str, Any]) -> dict[str, Any]:
    """The plan of ``plan_setup`` with a short window in March 2026."""
    await AuditPlan.update(
        {AuditPlan.window_start: WINDOW_START, AuditPlan.window_end: WINDOW_END}
    ).where(AuditPlan.id == plan_setup["plan_id"])
    return plan_setup


def body(setup: dict[str, Any], schedule: dict[str, Any], **kw: Any) -> CampaignIn:
    return CampaignIn.model_validate(
        {
            "plan_id": setup["plan_id"],
            "name": "接通率",
            "targets": [{"venue_id": v} for v in setup["venues"]],
            "schedule": {
                "runs_per_target": 3,
                "holiday_calendar": False,
                "caller_ids": ["+8613900000001"],
                "seed": 5,
                **schedule,
            },
            **kw,
        }
    )


WEEKLY = {
    "windows": [{"kind": "weekly", "days": "mon-sun", "start": "08:00", "end": "20:00"}],
    "start_date": "2026-03-02",
    "end_date": "2026-03-06",
}


async def refused(setup: dict[str, Any], data: CampaignIn) -> DomainError:
    with pytest.raises(DomainError) as err:
        await services.create_campaign(data, setup["cast"].actor("inspector1"))
    assert err.value.status_code == 400
    return err.value


async def test_a_venue_outside_the_plan_is_refused(bounded: dict[str, Any]) -> None:
    # Same operator, but not one of the plan's venues.
    extra = (
        await Venue.insert(
            Venue(operator=bounded["cast"].operator_a["id"], kind="hotline", name="另一热线",
                  phones=["+8657110009"])
        ).returning(Venue.id)
    )[0]["id"]  # fmt: skip
    targets = [{"venue_id": bounded["venues"][0]}, {"venue_id": extra}]
    err = await refused(bounded, body(bounded, WEEKLY, targets=targets))
    assert err.field == "targets[1].venue_id"
    assert f"venue {extra} is not one of plan {bounded['plan_id']}'s venues" in err.message


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ({**WEEKLY, "start_date": "2026-03-01"}, "schedule.start_date"),
        ({**WEEKLY, "end_date": "2026-03-07"}, "schedule.end_date"),
        (
            {
                "windows": [
                    {
                        "kind": "fixed",
                        "start": "2026-03-05T09:00:00+08:00",
                        "end": "2026-03-06T12:30:00+08:00",
                    }
                ]
            },
            "schedule.windows[0]",
        ),
    ],
)
async def test_a_schedule_outside_the_plan_window_is_refused(
    bounded: dict[str, Any], schedule: dict[str, Any], field: str
) -> None:
    err = await refused(bounded, body(bounded, schedule))
    assert err.field == field
    assert "outside the plan's window" in err.message


async def test_runs_are_planned_inside_the_plan_window(bounded: dict[str, Any]) -> None:
    # The weekly window opens at 08:00, but the plan only at 10:00 on its first day and it
    # ends at 12:00 on its last: the planned runs stay inside the plan's hours too.
    actor = bounded["cast"].actor("inspector1")
    data = body(bounded, {**WEEKLY, "runs_per_target": 40})
    c = await services.create_campaign(data, actor)
    await services.transition(c["id"], "schedule", actor)
    rows = await CampaignRun.select(CampaignRun.scheduled_at).where(CampaignRun.campaign == c["id"])
    times = [r["scheduled_at"] for r in rows]
    assert len(times) == 80
    assert all(WINDOW_START <= t <= WINDOW_END for t in times), (min(times), max(times))


async def test_the_api_names_the_field(bounded: dict[str, Any], client: Any) -> None:
    data = body(bounded, {**WEEKLY, "end_date": "2026-04-01"}).model_dump(mode="json")
    r = await client.post("/campaigns", json=data, headers=bounded["cast"].headers("inspector1"))
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "schedule.end_date"
    assert "2026-04-01 is outside the plan's window (2026-03-02 – 2026-03-06)" in r.json()["detail"]
