"""Autosave from a phone that goes offline: a replayed answer or photo is stored once, an
older answer never overwrites a newer one, and every save returns the running score."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from audit.domain.auditlog.services import entries
from audit.domain.evidence.tables import Evidence
from audit.domain.inspections import services
from audit.domain.inspections.access import answers_of
from audit.domain.inspections.answers import AnswerWrite
from audit.domain.inspections.services import answers_for_scoring, score_json
from audit.domain.inspections.tables import Inspection, ItemEvidence, ItemResult
from audit.domain.plans.checklist_versions import pinned_checklist
from checklists.scoring import score_answers
from tests.integration.plans.world import World, active_plan, unique_png

T0 = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)


async def _inspection(client: Any, world: World) -> dict[str, Any]:
    plan = await active_plan(client, world)
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=world.cast.headers("inspector1"),
    )
    assert r.status_code == 201, r.text
    # opened an hour ago, so the answer times below (half an hour ago) lie inside the visit
    started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await Inspection.update({Inspection.started_at: started}).where(Inspection.id == r.json()["id"])
    return dict(r.json())


def _body(result: str, client_id: str, minutes: float, **extra: Any) -> dict[str, Any]:
    at = T0 + dt.timedelta(minutes=minutes)
    return {"result": result, "client_id": client_id, "answered_at": at.isoformat(), **extra}


async def _answer_log(iid: int) -> list[dict[str, Any]]:
    return await entries(
        entity="inspection", entity_id=str(iid), action="inspection.answer", limit=1000
    )


async def test_a_replayed_answer_is_stored_once(client: Any, world: World) -> None:
    ins = await _inspection(client, world)
    h = world.cast.headers("inspector1")
    url = f"/inspections/{ins['id']}/items/handling.waiting_time"
    body = _body("fail", "answer-0001", 1, note="等候47分钟", measured_value="47 分钟")
    first = (await client.put(url, json=body, headers=h)).json()
    assert first["outcome"] == "applied" and first["revision"] == 1
    assert first["measured_value"] == "47 分钟" and first["client_id"] == "answer-0001"
    again = await client.put(url, json=body, headers=h)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert again.json()["revision"] == 1
    assert await ItemResult.count() == 1
    assert len(await _answer_log(ins["id"])) == 1


async def test_an_older_answer_arriving_late_does_not_win(client: Any, world: World) -> None:
    ins = await _inspection(client, world)
    i1, i2 = world.cast.headers("inspector1"), world.cast.headers("inspector2")
    url = f"/inspections/{ins['id']}/items/environment.clean"
    # inspector1's phone was offline at minute 5; inspector2 answered online at minute 10
    newer = await client.put(url, json=_body("pass", "partner-10", 10), headers=i2)
    assert newer.json()["outcome"] == "applied"
    late = await client.put(url, json=_body("fail", "offline-05", 5, note="脏"), headers=i1)
    assert late.status_code == 200
    assert late.json()["outcome"] == "stale"
    assert late.json()["result"] == "pass" and late.json()["client_id"] == "partner-10"
    # a later correction from the same phone does win
    fix = await client.put(url, json=_body("fail", "offline-12", 12, note="脏"), headers=i1)
    assert fix.json()["outcome"] == "applied" and fix.json()["revision"] == 2
    [row] = await answers_of(ins["id"])
    assert (row["result"], row["client_id"]) == ("fail", "offline-12")
    assert len(await _answer_log(ins["id"])) == 2


async def test_a_clock_running_ahead_is_clamped(client: Any, world: World) -> None:
    ins = await _inspection(client, world)
    h = world.cast.headers("inspector1")
    url = f"/inspections/{ins['id']}/items/environment.clean"
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    r = await client.put(
        url,
        json={"result": "fail", "client_id": "fast-clock", "answered_at": future.isoformat()},
        headers=h,
    )
    assert dt.datetime.fromisoformat(r.json()["answered_at"]) <= dt.datetime.now(dt.UTC)
    # so a correction given later (true time) still applies
    r = await client.put(url, json={"result": "pass", "client_id": "later-fix"}, headers=h)
    assert r.json()["outcome"] == "applied" and r.json()["result"] == "pass"


async def test_each_save_returns_the_running_score_and_the_evidence_rule(
    client: Any, world: World
) -> None:
    ins = await _inspection(client, world)
    h = world.cast.headers("inspector1")
    r = await client.put(
        f"/inspections/{ins['id']}/items/environment.tariffs_posted",
        json=_body("fail", "tariffs-01", 1),
        headers=h,
    )
    saved = r.json()
    assert saved["evidence_required"] == ["photo"]
    assert saved["evidence_missing"] == ["photo"]
    checklist = await pinned_checklist(ins["checklist_version_id"])
    expected = score_json(
        score_answers(checklist, answers_for_scoring(await answers_of(ins["id"])))
    )
    assert saved["score"] == expected
    assert (
        "environment.tariffs_posted: failed without required evidence: photo"
        in (saved["score"]["blockers"])
    )


async def test_a_replayed_photo_is_stored_once(client: Any, world: World) -> None:
    ins = await _inspection(client, world)
    h = world.cast.headers("inspector1")
    url = f"/inspections/{ins['id']}/items/environment.clean/evidence"
    photo = unique_png("replay")
    form = {"kind": "photo", "client_id": "photo-0001"}
    first = await client.post(url, files={"file": ("p.png", photo)}, data=form, headers=h)
    assert first.status_code == 201, first.text
    again = await client.post(url, files={"file": ("p.png", photo)}, data=form, headers=h)
    assert again.status_code == 200 and again.json() == first.json()
    assert await Evidence.count() == 1 and await ItemEvidence.count() == 1
    # another photo (new id) of the same bytes is a second piece of evidence, as before
    other = await client.post(
        url, files={"file": ("p.png", photo)}, data={"kind": "photo", "client_id": "photo-0002"},
        headers=h,
    )  # fmt: skip
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


async def test_racing_replays_store_one_answer_and_one_photo(client: Any, world: World) -> None:
    ins = await _inspection(client, world)
    actor = world.cast.actor("inspector1")
    write = AnswerWrite("environment.clean", "fail", "地面有垃圾", "", "race-answer", T0)
    outcomes = await asyncio.gather(
        *[services.record_answer(ins["id"], write, actor) for _ in range(4)]
    )
    assert sorted(o for _, o in outcomes) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert await ItemResult.count() == 1
    assert len(await _answer_log(ins["id"])) == 1

    photo = unique_png("race")
    results = await asyncio.gather(
        *[
            services.attach_evidence_once(
                ins["id"], "environment.clean", photo, "photo", "p.png", actor, "race-photo"
            )
            for _ in range(3)
        ]
    )
    assert sorted(created for _, created in results) == [False, False, True]
    assert len({row["id"] for row, _ in results}) == 1
    assert await Evidence.count() == 1 and await ItemEvidence.count() == 1
