"""Issuing a rectification notice makes one tracked item per finding, with the notice's
deadline, where it came from (probe or manual), and an audit entry; the state machine refuses
moves it does not allow."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal_world import MANUAL_ITEM, PROBE_ITEM, build


async def test_items_follow_the_notice(cast: Any) -> None:
    from audit.domain.auditlog.services import entries

    world = await build(cast)
    assert [i["position"] for i in world.items] == [1, 2]
    probe, manual = world.item(PROBE_ITEM), world.item(MANUAL_ITEM)
    assert probe["origin"] == "probe" and probe["probe_kind"] == "voice_silent_call"
    assert manual["origin"] == "manual"
    assert manual["recorded_by"] == cast.users["supervisor"]["id"]
    deadline = world.notice["content"]["deadline"]
    assert {str(i["deadline"]) for i in world.items} == {deadline}
    assert {i["state"] for i in world.items} == {"open"}
    for item in world.items:
        (created,) = await entries(entity="finding_item", entity_id=str(item["id"]))
        assert created["action"] == "finding.create" and created["actor"] == "supervisor"


async def test_refused_moves_name_the_state(cast: Any) -> None:
    from audit.domain.portal import verification
    from audit.errors import InvalidTransition

    world = await build(cast)
    with pytest.raises(InvalidTransition, match="verification starts after a reported"):
        await verification.start(world.items[0]["id"], cast.actor("supervisor"))
