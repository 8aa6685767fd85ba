"""Four eyes (issue 16 item 20): the approver of a notice differs from its drafter and editors,
a plan's approver from its creator and editors; a one-person office waives the rule with
AUDIT_FOUR_EYES=false, and every waiver is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from audit.domain.auditlog.services import entries
from audit.domain.notices import issuing, services
from audit.errors import Forbidden
from audit.notices.models import NoticeType
from audit.settings import get_settings
from tests.integration.notices.notice_helpers import full_content
from tests.integration.plans.world import World


@pytest.fixture
def one_person_office(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # the app and the services read the cached settings: switch the cached object's flag
    monkeypatch.setattr(get_settings(), "four_eyes", False)
    yield


async def _draft(cast: Any, by: str) -> dict[str, Any]:
    return await services.create_draft(
        cast.actor(by),
        NoticeType.rectification,
        cast.operator_a["id"],
        full_content(NoticeType.rectification),
    )


async def test_notice_drafter_cannot_approve(cast: Any) -> None:
    sup, admin = cast.actor("supervisor"), cast.actor("admin")
    d = await _draft(cast, "supervisor")
    with pytest.raises(Forbidden, match="four eyes") as err:
        await services.approve(d["id"], sup)
    assert err.value.field == "four_eyes"
    assert (await services.load(d["id"]))["status"] == "draft"
    approved = await services.approve(d["id"], admin)
    assert approved["approved_by"] == admin.id
    issued = await issuing.issue(d["id"], sup)  # issuing an approved notice is not authoring
    assert issued["status"] == "issued"


async def test_notice_editor_cannot_approve(cast: Any) -> None:
    d = await _draft(cast, "inspector1")
    sup = cast.actor("supervisor")
    await services.update_draft(d["id"], sup, full_content(NoticeType.rectification))
    with pytest.raises(Forbidden, match="edited notice"):
        await services.approve(d["id"], sup)
    await services.approve(d["id"], cast.actor("admin"))


async def test_notice_four_eyes_over_http(client: Any, cast: Any) -> None:
    h = cast.headers("supervisor")
    r = await client.post(
        "/notices",
        json={
            "notice_type": "rectification",
            "operator_id": cast.operator_a["id"],
            "content": full_content(NoticeType.rectification),
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    r = await client.post(f"/notices/{r.json()['id']}/approve", headers=h)
    assert r.status_code == 403 and r.json()["field"] == "four_eyes", r.text


async def test_plan_creator_cannot_approve(client: Any, world: World) -> None:
    cast = world.cast
    r = await client.post("/plans", json=world.plan_body(), headers=cast.headers("supervisor"))
    assert r.status_code == 201, r.text
    plan = r.json()
    r = await client.post(f"/plans/{plan['id']}/approve", headers=cast.headers("supervisor"))
    assert r.status_code == 403 and "four eyes" in r.json()["detail"], r.text
    assert (await client.get(f"/plans/{plan['id']}", headers=cast.headers("admin"))).json()[
        "status"
    ] == "draft"
    # another supervisor's approval is the normal path (tests.integration.plans.world)


async def test_plan_editor_cannot_approve(client: Any, world: World) -> None:
    cast = world.cast
    plan = (
        await client.post("/plans", json=world.plan_body(), headers=cast.headers("admin"))
    ).json()
    r = await client.patch(
        f"/plans/{plan['id']}", json={"name": "改过的计划"}, headers=cast.headers("supervisor")
    )
    assert r.status_code == 200, r.text
    r = await client.post(f"/plans/{plan['id']}/approve", headers=cast.headers("supervisor"))
    assert r.status_code == 403, r.text


async def test_one_person_office_waives_and_logs(
    client: Any, world: World, one_person_office: None
) -> None:
    cast = world.cast
    sup = cast.actor("supervisor")
    d = await _draft(cast, "supervisor")
    await services.approve(d["id"], sup)
    log = await entries(entity="notice", entity_id=str(d["id"]))
    waived = [e for e in log if e["action"] == "notice.four_eyes_waived"]
    assert len(waived) == 1 and waived[0]["actor_id"] == sup.id
    assert waived[0]["after"]["authors"] == [sup.id]
    assert [e["action"] for e in log][:2] == ["notice.approve", "notice.four_eyes_waived"]

    h = cast.headers("supervisor")
    plan = (await client.post("/plans", json=world.plan_body(), headers=h)).json()
    r = await client.post(f"/plans/{plan['id']}/approve", headers=h)
    assert r.status_code == 200, r.text
    log = await entries(entity="audit_plan", entity_id=str(plan["id"]))
    assert "plan.four_eyes_waived" in [e["action"] for e in log]

    # an approval by someone else is no waiver: nothing extra is logged
    other = await _draft(cast, "inspector1")
    await services.approve(other["id"], sup)
    log = await entries(entity="notice", entity_id=str(other["id"]))
    assert "notice.four_eyes_waived" not in [e["action"] for e in log]
