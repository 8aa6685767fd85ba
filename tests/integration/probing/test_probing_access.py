"""Who sees probe runs: the plan's inspectors and the regulator's readers do; operator users
do not see covert probes of an unpublished plan (404, as if missing); nobody may start a run
without the right role."""

from __future__ import annotations

from typing import Any

import pytest
from probing_support import Live


async def test_visibility(live: Live, hotline: dict[str, Any]) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550106")
    run = await live.finished(run)
    for who in ("admin", "supervisor", "analyst", "inspector1", "inspector2"):
        r = await live.http.get(f"/probe-runs/{run['id']}", headers=live.headers(who))
        assert r.status_code == 200, (who, r.text)
    for who in ("op_a", "op_b"):
        r = await live.http.get(f"/probe-runs/{run['id']}", headers=live.headers(who))
        assert r.status_code == 404, (who, r.text)
        r = await live.http.get("/probe-runs", headers=live.headers(who))
        assert r.status_code == 200 and r.json() == []
    r = await live.http.get("/probe-runs", headers=live.headers("analyst"))
    assert [x["id"] for x in r.json()] == [run["id"]]
    r = await live.http.get(f"/probe-runs/{run['id']}")
    assert r.status_code == 401


@pytest.mark.parametrize("who", ["analyst", "op_a"])
async def test_only_recorders_start_runs(live: Live, hotline: dict[str, Any], who: str) -> None:
    r = await live.http.post(
        "/probe-runs",
        json={"inspection_id": hotline["inspection"]["id"]},
        headers=live.headers(who),
    )
    assert r.status_code == 403, r.text


async def test_unassigned_inspector_cannot_probe_for_the_inspection(
    live: Live, hotline: dict[str, Any]
) -> None:
    from audit.domain.plans.tables import PlanInspector

    await PlanInspector.delete().where(
        PlanInspector.inspector == live.cast.users["inspector2"]["id"]
    )
    r = await live.http.post(
        "/probe-runs",
        json={"inspection_id": hotline["inspection"]["id"]},
        headers=live.headers("inspector2"),
    )
    assert r.status_code in (403, 404), r.text
