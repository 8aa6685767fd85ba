"""Chat-API runs on the one lifecycle (lifecycle.py, finish.py), as voice runs are
(test_probing_finish_race.py): the agent's signed webhooks and the chat's own end
(``session:ended``, reported by the probe in this process) arrive in every order, each twice
at once, while ``probing.finish`` jobs run; the run ends with one stored result, computed
from the chat's transcript through the channel's measures and judged by the one item path
(``finish.judge_items``), and a late webhook changes nothing.

The channel, the webhook authentication (HMAC signature), the database, the lifecycle, the
job broker (in-process) and the finish are the real ones; only the chat itself is not run
(its end event is delivered as the probe would report it).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from test_probing_finish_race import _json, _settle  # the voice race test's settling

from audit.domain.auditlog.tables import AuditEntry
from audit.domain.inspections.services import open_inspection
from audit.domain.inspections.tables import ItemResult
from audit.domain.operators.schemas import VenueIn
from audit.domain.operators.services import create_venue
from audit.domain.plans.schemas import PlanIn
from audit.domain.plans.services import create_plan, transition
from audit.domain.probing import lifecycle
from audit.domain.probing import tasks as probing_tasks
from audit.domain.probing.env import AppEnv
from audit.domain.probing.runs import channel_run
from audit.domain.probing.tables import ProbeRun
from audit.jobs.broker import broker
from checklists.schema import Checklist
from probes.analysis.chat_scoring import find_checklist, score_chat
from probes.analysis.chat_transcript import parse_transcript
from probes.channels import registry
from probes.channels.base import Collected, Event, Request, Run
from probes.channels.chat_api.channel import ChatApiProbe
from probes.channels.chat_api.signing import signed_headers
from tests.integration.plans.world import build_world
from tests.probes.chat.conftest import QUESTION, SHORT_HELLO, T0, WELCOME, at, raw

SECRET = "race-secret"
TRANSCRIPT = raw(
    ("customer", 0, QUESTION),
    ("agent", 12, WELCOME),
    ("customer", 20, "好的"),
    ("agent", 95, SHORT_HELLO + ",还有什么可以帮您?"),  # a long wait: a finding
)
MESSAGES = (("m1", 12), ("m2", 95), ("m3", 96))  # agent webhooks (m3: after the chat saw it)
END = "end"
EVENTS: tuple[str, ...] = (*(m for m, _ in MESSAGES), END)
assert probing_tasks.finish_task.task_name == lifecycle.FINISH_TASK  # registered in-process


class SlowChatApi(ChatApiProbe):
    """The real chat-API channel; ``during_collect`` is awaited inside collect, i.e. while a
    finish job is between reading the events and storing its results."""

    def __init__(self) -> None:
        self.collects = 0
        self.during_collect: Any = None

    async def collect(
        self,
        run: Run,
        events: Sequence[Event],
        env: Any,
        previous: Mapping[str, Any] | None,
        checklist: Checklist | None,
    ) -> Collected:
        self.collects += 1
        out = await super().collect(run, events, env, previous, checklist)
        await asyncio.sleep(0)  # let arriving webhooks and other finishes interleave
        if self.during_collect is not None:
            hook, self.during_collect = self.during_collect, None
            await hook()
        return out


@pytest.fixture
def channel() -> Iterator[SlowChatApi]:
    real = registry.BY_NAME["chat_api"]
    slow = SlowChatApi()
    registry.BY_NAME["chat_api"] = slow
    try:
        yield slow
    finally:
        registry.BY_NAME["chat_api"] = real


@pytest.fixture
async def venue_id(db: str, cast: Any) -> int:
    profile = {"base_url": "http://127.0.0.1:9", "mode": "webhook", "webhook_secret": SECRET}
    data = VenueIn(kind="chat_api", name="甲通信API", profile=profile)
    return int((await create_venue(cast.operator_a["id"], data, cast.actor("admin")))["id"])


async def _new_run(venue_id: int) -> int:
    params = {"channel": "chat_api", "script": {"id": "q", "steps": [{"say": QUESTION}]},
              "sessions_per_day": None}  # fmt: skip
    rows = await ProbeRun.insert(
        ProbeRun(kind="chat", status="dialing", venue=venue_id, target="http://127.0.0.1:9",
                 provider="http", params=params)
    ).returning(ProbeRun.id)  # fmt: skip
    return int(rows[0]["id"])


async def _deliver(run_id: int, channel: SlowChatApi, event: str) -> None:
    """A webhook as channel_webhooks.py takes it (signature checked against the run's venue
    secret), or the chat's end as the probe reports it through ``Env.emit``."""
    if event == END:
        end = {"name": "ended", "at": at(100), "outcome": "completed", "reason": None,
               "transcript": TRANSCRIPT, "warnings": [], "screenshots": []}  # fmt: skip
        await lifecycle.receive(run_id, channel, "session", end)
        return
    seconds = dict(MESSAGES)[event]
    sent = T0.timestamp() + seconds  # the operator's clock, Unix seconds
    body = json.dumps({"session_id": "s1", "message_id": event, "text": f"第{seconds}秒",
                       "at": sent}).encode()  # fmt: skip
    (hook,) = channel.webhooks
    request = Request(f"https://testserver.local/webhooks/chat/{run_id}",
                      signed_headers(SECRET, body), body)  # fmt: skip
    run = await channel_run(run_id, channel)
    params = channel.authenticate(hook, request, run, AppEnv())
    await lifecycle.receive(run_id, channel, hook.kind, params)


def _expected() -> dict[str, Any]:
    """The chat scored as the ``score-chat`` contract scores it (same checklist)."""
    scored, _ = score_chat(parse_transcript(TRANSCRIPT), find_checklist("online-chat"))
    return scored


async def _assert_whole(row: dict[str, Any]) -> None:
    expected = _expected()
    assert (row["status"], row["outcome"]) == ("completed", "completed"), row["error_reason"]
    assert _json(row["measures"]) == expected["measures"]
    observations = _json(row["observations"])
    assert observations["transcript"] == TRANSCRIPT
    assert observations["items"] == expected["items"] and observations["verdict"] == "fail"
    assert row["event_seq"] == len(EVENTS)  # each event stored once, repeats bump nothing
    assert row["finished_seq"] == row["event_seq"]
    finishes = await AuditEntry.count().where(
        (AuditEntry.action == "probe_run.finish") & (AuditEntry.entity_id == str(row["id"]))
    )
    assert finishes == 1  # one stored result per run, however many finish jobs ran


async def test_every_order_duplicated_with_concurrent_finishes(
    venue_id: int, channel: SlowChatApi
) -> None:
    rng = random.Random(19)
    for order in itertools.permutations(EVENTS):
        run_id = await _new_run(venue_id)
        for event in order:
            # each webhook twice at once, and one extra finish job racing them
            extra = probing_tasks.finish_task.kiq(run_id) if rng.random() < 0.5 else None
            await asyncio.gather(
                _deliver(run_id, channel, event),
                _deliver(run_id, channel, event),
                *([extra] if extra is not None else []),
            )
        await _assert_whole(await _settle(run_id))


async def test_a_webhook_during_the_finish_makes_it_start_again(
    venue_id: int, channel: SlowChatApi
) -> None:
    """An agent message arrives while the finish has read the events but not stored its
    results: the finish's store fails on the new event_seq and it starts again."""
    run_id = await _new_run(venue_id)
    await _deliver(run_id, channel, "m1")

    async def arrive() -> None:
        await _deliver(run_id, channel, "m2")

    channel.during_collect = arrive
    await _deliver(run_id, channel, END)  # the end: claims the run, sends the finish
    await broker.wait_all()  # type: ignore[attr-defined]
    assert channel.collects == 2  # the first round's inputs were stale: redone, not stored
    await _deliver(run_id, channel, "m3")  # late: the finished run is refreshed, unchanged
    await _deliver(run_id, channel, "m3")
    await _assert_whole(await _settle(run_id))


async def test_inspection_items_are_judged_once_through_the_one_path(
    cast: Any, venue_id: int, channel: SlowChatApi
) -> None:
    """A chat-API run of an inspection: its bound items are recorded on the inspection by
    ``finish.bind_items`` with the verdicts the run keeps, each once, however often the end
    and late webhooks arrive. (Set up through the services: an app on another event loop
    would leave its jobs in the broker this test waits on.)"""
    world = await build_world(cast)
    version = world.versions["online-chat"]["id"]
    body = world.plan_body(venue_ids=[venue_id], checklist_version_ids=[version])
    plan = await create_plan(PlanIn.model_validate(body), cast.actor("admin"))
    await transition(plan["id"], "approve", cast.actor("supervisor"))
    await transition(plan["id"], "activate", cast.actor("supervisor"))
    inspection = await open_inspection(plan["id"], venue_id, None, cast.actor("inspector1"))
    inspection_id = int(inspection["id"])
    run_id = await _new_run(venue_id)
    await ProbeRun.update({ProbeRun.inspection: inspection_id, ProbeRun.plan: plan["id"]}).where(
        ProbeRun.id == run_id
    )
    for batch in (("m1",), (END, END), ("m2", "m3", "m2")):
        extra = probing_tasks.finish_task.kiq(run_id)
        await asyncio.gather(*(_deliver(run_id, channel, e) for e in batch), extra)
    row = await _settle(run_id)
    await _assert_whole(row)
    kept = {i["id"]: i["result"] for i in _json(row["observations"])["items"]}
    bound = {r["item_id"]: r.get("result") for r in _json(row["item_results"])}
    answers = await ItemResult.select(
        ItemResult.item_id, ItemResult.result, ItemResult.source
    ).where(ItemResult.inspection == inspection_id)
    assert kept and bound == kept
    assert {a["item_id"]: a["result"] for a in answers} == kept
    assert {a["source"] for a in answers} == {"probe"}
    writes = await AuditEntry.count().where(
        (AuditEntry.action == "inspection.answer") & (AuditEntry.entity_id == str(inspection_id))
    )
    assert writes == len(kept)  # each item written once: refreshes found nothing new
