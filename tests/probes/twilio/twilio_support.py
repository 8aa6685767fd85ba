"""Shared helpers of the Twilio simulator tests (a unique module name: several test
directories have a ``conftest``, so tests must not import from it)."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field

from probes.channels.voice.twilio import PlacedCall, ProbeCallRequest, TwilioAccount, VoiceChannel
from probes.twilio_sim import (
    RunningSimulator,
    SimulatorConfig,
    load_demo_scenarios,
)
from probes.twilio_sim.resources import SimCall

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 8 + "0123456789abcdef" + "e" * 8
FROM = "+861055550000"
FAST = 0.0005  # a 40 s call lasts 20 ms of real time

logging.getLogger("twilio").setLevel(logging.WARNING)


@dataclass
class Received:
    path: str  # path and query as requested
    headers: dict[str, str]
    form: list[tuple[str, str]]

    @property
    def params(self) -> dict[str, str]:
        return dict(self.form)


@dataclass
class Sink:
    base_url: str
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base_url + path

    def for_call(self, call_sid: str, path_prefix: str = "") -> list[Received]:
        with self.lock:
            return [
                r
                for r in self.received
                if r.params.get("CallSid") == call_sid and r.path.startswith(path_prefix)
            ]


def make_config(**overrides: object) -> SimulatorConfig:
    values: dict[str, object] = {
        "account_sid": ACCOUNT_SID,
        "auth_token": AUTH_TOKEN,
        "scenarios": load_demo_scenarios(),
        "time_scale": FAST,
        "record_exchanges": True,
    }
    values.update(overrides)
    return SimulatorConfig(**values)  # type: ignore[arg-type]


@dataclass
class Dialer:
    """Places probe calls through the real SDK and waits for the simulated call to finish."""

    sim: RunningSimulator
    account: TwilioAccount
    sink: Sink

    async def call(self, to: str, **request: object) -> tuple[PlacedCall, SimCall]:
        req = ProbeCallRequest(
            to=to,
            from_=FROM,
            status_callback_url=self.sink.url("/webhooks/twilio/status?probe=7"),
            transcription_callback_url=self.sink.url("/webhooks/twilio/transcription"),
            **request,  # type: ignore[arg-type]
        )
        async with VoiceChannel(self.account) as voice:
            placed = await voice.place_call(req)
        done = await asyncio.to_thread(self.sim.simulator.wait_call, placed.sid)
        return placed, done
