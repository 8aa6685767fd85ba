"""The late-event race of the finish job (lifecycle.py, finish.py): whatever the order of a
run's events, however often each arrives, and while ``probing.finish`` jobs run at the same
time, the stored result is computed from *all* the events, and the run's measures and
observations always come from one and the same set of events (never half-applied).

The channel here is a tally (its observations are the keys of the events it was given, its
measure their count), so a result shows exactly which inputs it was computed from. The
database, the lifecycle, the job broker (in-process) and the finish are the real ones.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest

from audit.domain.probing import lifecycle
from audit.domain.probing import tasks as probing_tasks
from audit.domain.probing.finish import finish_run
from audit.domain.probing.tables import ProbeRun
from audit.jobs.broker import broker
from probes.channels import registry
from probes.channels.base import Collected, Event, Measured

T0 = dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC)
EVENTS = (  # (key, kind, name, seconds): status events move the phase, words never do
    ("ring", "status", "ringing", 1),
    ("answer", "status", "in-progress", 5),
    ("w1", "words", "line", 6),
    ("w2", "words", "line", 7),
    ("end", "status", "completed", 9),
)
assert probing_tasks.finish_task.task_name == lifecycle.FINISH_TASK  # registered in-process


class Tally:
    """A channel whose result names its inputs. ``during_collect``: awaited inside collect,
    i.e. while a finish job is between reading the events and storing its results."""

    name = "tally"
    run_kind = "voice"
    provider = "test"
    venue_kinds: tuple[str, ...] = ()
    probe_kinds: tuple[str, ...] = ()
    measure_roots = ("count",)
    terminal_outcomes = ("answered",)
    phase_kinds = ("status",)
    default_checklist = None
    unjudged = None
    webhooks = ()
    simulator = None

    def __init__(self) -> None:
        self.collects = 0
        self.during_collect: Any = None

    def read_event(self, kind: str, params: Mapping[str, Any]) -> Event:
        at = T0 + dt.timedelta(seconds=int(params["t"]))
        return Event(str(params["key"]), kind, str(params["name"]), at, dict(params))

    def phase(self, names: set[str]) -> str:
        if "status:completed" in names:
            return "ended"
        return "in_call" if "status:in-progress" in names else "dialing"

    def deliver(self, run_id: int, event: Event) -> None:
        return None

    async def collect(
        self, run: Any, events: Sequence[Event], env: Any, previous: Any, checklist: Any
    ) -> Collected:
        self.collects += 1
        seen = sorted(e.key for e in events)
        await asyncio.sleep(0)  # let arriving events and other finishes interleave
        if self.during_collect is not None:
            hook, self.during_collect = self.during_collect, None
            await hook()
        return Collected({"seen": seen})

    def measures(self, observations: Mapping[str, Any], binding: Any, checklist: Any = None) -> Any:
        return Measured({"count": len(observations.get("seen") or [])}, {})

    def outcome(self, observations: Mapping[str, Any]) -> str:
        return "answered"


@pytest.fixture
def tally() -> Iterator[Tally]:
    channel = Tally()
    registry.BY_NAME["tally"] = channel  # type: ignore[assignment]
    try:
        yield channel
    finally:
        registry.BY_NAME.pop("tally", None)


async def _new_run() -> int:
    rows = await ProbeRun.insert(
        ProbeRun(kind="voice", status="dialing", target="+861055550101",
                 provider="test", params={"channel": "tally"})
    ).returning(ProbeRun.id)  # fmt: skip
    return int(rows[0]["id"])


def _params(event: tuple[str, str, str, int]) -> tuple[str, dict[str, Any]]:
    key, kind, name, t = event
    return kind, {"key": key, "name": name, "t": t}


async def _deliver(run_id: int, channel: Tally, event: tuple[str, str, str, int]) -> None:
    kind, params = _params(event)
    await lifecycle.receive(run_id, channel, kind, params)  # type: ignore[arg-type]


async def _settle(run_id: int) -> dict[str, Any]:
    """Let every sent finish job run, then one more finish must find nothing to do."""
    await broker.wait_all()  # type: ignore[attr-defined]
    assert await finish_run(run_id) in ("current", "skipped")
    row = await ProbeRun.select().where(ProbeRun.id == run_id).first()
    assert row is not None
    return row


def _json(value: Any) -> Any:
    import json

    return json.loads(value) if isinstance(value, str) else value


def _assert_whole(row: dict[str, Any]) -> None:
    keys = sorted(e[0] for e in EVENTS)
    assert row["status"] == "completed"
    assert _json(row["observations"]) == {"seen": keys}  # computed from every event
    assert _json(row["measures"]) == {"count": len(keys)}
    assert row["event_seq"] == len(EVENTS)  # each event stored once, repeats bump nothing
    assert row["finished_seq"] == row["event_seq"]
    assert row["ended_at"] == T0 + dt.timedelta(seconds=9)


async def test_every_order_duplicated_with_concurrent_finishes(db: str, tally: Tally) -> None:
    rng = random.Random(19)
    for order in itertools.permutations(EVENTS):
        run_id = await _new_run()
        for event in order:
            # each callback twice at once, and one extra finish job racing them
            extra = probing_tasks.finish_task.kiq(run_id) if rng.random() < 0.5 else None
            await asyncio.gather(
                _deliver(run_id, tally, event),
                _deliver(run_id, tally, event),
                *([extra] if extra is not None else []),
            )
        _assert_whole(await _settle(run_id))


async def test_an_event_during_the_finish_makes_it_start_again(db: str, tally: Tally) -> None:
    """The words arrive while the finish has read the events but not stored its results: the
    run is analysing, so nothing new is sent; the finish's store fails on the new event_seq
    and it starts again with the words in (without the check it would store a result
    without them, and nothing would ever correct it)."""
    run_id = await _new_run()
    for event in EVENTS[:3]:
        await _deliver(run_id, tally, event)

    async def arrive() -> None:
        await _deliver(run_id, tally, EVENTS[3])

    tally.during_collect = arrive
    await _deliver(run_id, tally, EVENTS[4])  # the end: claims the run, sends the finish
    await broker.wait_all()  # type: ignore[attr-defined]
    assert tally.collects == 2  # the first round's inputs were stale: redone, not stored
    _assert_whole(await _settle(run_id))
