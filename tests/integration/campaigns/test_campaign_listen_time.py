"""A silent-call probe that cannot listen long enough for the protocol is refused at creation
(issue 18 item 4): repetitions × greeting + pauses + final wait, from the checklist."""

from __future__ import annotations

from typing import Any

import pytest

from audit.domain.campaigns import services
from audit.errors import DomainError
from tests.integration.campaigns.test_campaign_lifecycle import campaign_in


async def test_a_30_s_listen_is_refused_under_the_hotline_protocol(
    plan_setup: dict[str, Any],
) -> None:
    actor = plan_setup["cast"].actor("inspector1")
    with pytest.raises(DomainError) as info:
        await services.create_campaign(campaign_in(plan_setup, listen_s=30), actor)
    assert info.value.field == "listen_s"
    assert "'hotline'" in info.value.message and "= 39 s" in info.value.message
    created = await services.create_campaign(campaign_in(plan_setup, listen_s=39), actor)
    assert created["listen_s"] == 39


async def test_the_plans_checklist_sets_the_protocol(plan_setup: dict[str, Any]) -> None:
    from audit.context import SYSTEM
    from audit.domain.plans.checklist_versions import import_checklist
    from audit.domain.plans.tables import PlanChecklist
    from probes.analysis.checklist_source import shipped

    row, _ = await import_checklist(shipped("hotline-house-rule-002"), SYSTEM, source="test")
    await PlanChecklist.insert(
        PlanChecklist(plan=plan_setup["plan_id"], checklist_version=row["id"])
    )
    actor = plan_setup["cast"].actor("inspector1")
    # Seed 002: 3 utterances, pauses up to 10 s, no final wait = 35 s.
    created = await services.create_campaign(campaign_in(plan_setup, listen_s=35), actor)
    assert created["listen_s"] == 35
    with pytest.raises(DomainError, match="hotline-house-rule-002"):
        await services.create_campaign(campaign_in(plan_setup, listen_s=34), actor)


async def test_a_voice_run_is_refused_before_any_call(plan_setup: dict[str, Any]) -> None:
    from audit.domain.probing import services as probing
    from audit.domain.probing.schemas import StartVoiceRun
    from audit.domain.probing.tables import ProbeRun

    actor = plan_setup["cast"].actor("inspector1")
    request = StartVoiceRun(
        venue_id=plan_setup["venues"][0], plan_id=plan_setup["plan_id"], listen_s=30
    )
    with pytest.raises(DomainError) as info:
        await probing.start_voice_run(request, actor)
    assert info.value.field == "listen_s"
    assert await ProbeRun.count() == 0
