"""GET /probe-runs filters by operator, venue, channel, verdict and date and pages in SQL,
with visibility in the query: an inspector's page of runs is full even when most runs are of
plans they may not see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.context import SYSTEM
from audit.domain.operators.schemas import VenueIn
from audit.domain.operators.services import create_venue
from audit.domain.probing.tables import ProbeRun

T0 = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


def _run(i: int, venue: dict[str, Any], **kw: Any) -> ProbeRun:
    values: dict[str, Any] = {
        "kind": "voice", "status": "completed", "venue": venue["id"],
        "operator": venue["operator_id"], "target": "+861055550101", "provider": "twilio",
        "outcome": "answered", "started_at": T0 + dt.timedelta(days=i), "created_at": T0,
        "measures": {"silent_call": {"verdict": "pass"}, "greeting": {"verdict": "pass"}},
    }  # fmt: skip
    values.update(kw)
    return ProbeRun(**values)


async def test_filters_and_paging(client: Any, cast: Any) -> None:
    a = await create_venue(cast.operator_a["id"], VenueIn(kind="hotline", name="甲热线"), SYSTEM)
    b = await create_venue(cast.operator_b["id"], VenueIn(kind="web_chat", name="乙在线"), SYSTEM)
    rows = [_run(i, a) for i in range(5)]
    rows.append(_run(5, a, measures={"silent_call": {"verdict": "fail"}, "greeting": None}))
    rows.append(_run(6, a, measures={"silent_call": {"verdict": None}}, outcome="answered"))
    rows.append(_run(7, a, provider="upload"))
    rows.append(_run(8, b, kind="chat", provider="browser", measures={},
                     observations={"verdict": "fail", "items": []}))  # fmt: skip
    rows.append(_run(9, a, status="probe_error", outcome=None, measures=None,
                     created_by=cast.users["inspector1"]["id"]))  # fmt: skip
    await ProbeRun.insert(*rows)

    async def ids(who: str = "analyst", **params: Any) -> list[int]:
        r = await client.get("/probe-runs", params=params, headers=cast.headers(who))
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()]

    assert await ids() == list(range(10, 0, -1))
    assert await ids(operator_id=cast.operator_b["id"]) == [9]
    assert await ids(venue_id=b["id"]) == [9]
    assert await ids(channel="chat") == [9]
    assert await ids(channel="upload") == [8]
    assert 8 not in await ids(channel="voice") and 9 not in await ids(channel="voice")
    assert await ids(verdict="fail") == [9, 6]
    assert await ids(verdict="none") == [10, 7]
    assert await ids(verdict="pass") == [8, 5, 4, 3, 2, 1]
    since = (T0 + dt.timedelta(days=2)).isoformat()
    until = (T0 + dt.timedelta(days=4)).isoformat()
    assert await ids(since=since, until=until) == [4, 3]
    assert await ids(verdict="pass", limit=2, offset=1) == [5, 4]
    # Visibility in SQL: inspector1 sees only the run they made outside any plan, and the
    # page is filled from what they may see (not cut by what they may not).
    assert await ids("inspector1") == [10]
    assert await ids("inspector2") == []
    assert await ids("op_a") == []
    r = await client.get("/probe-runs", params={"since": "2026-03-10T10:00:00"},
                         headers=cast.headers("analyst"))  # fmt: skip
    assert r.status_code == 400 and "since" in r.text
