"""Run the simulator: uvicorn on 127.0.0.1 in a background thread, on a free port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from probes.twilio_sim.app import create_app
from probes.twilio_sim.engine import Simulator, SimulatorConfig


@dataclass
class RunningSimulator:
    """A started simulator: its base URL (give it to the twilio SDK) and its state."""

    base_url: str
    simulator: Simulator
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


def launch_simulator(
    config: SimulatorConfig, *, host: str = "127.0.0.1", port: int = 0
) -> RunningSimulator:
    """Start a simulator and return once it accepts connections. Call ``stop()`` when done."""
    simulator = Simulator(config)
    app = create_app(simulator)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan="on", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, name="twilio-simulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15.0
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the Twilio simulator failed to start (see log)")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the Twilio simulator did not start within 15 s")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    simulator.base_url = f"http://{host}:{bound}"
    return RunningSimulator(simulator.base_url, simulator, server, thread)


@contextmanager
def start_simulator(config: SimulatorConfig, *, port: int = 0) -> Iterator[RunningSimulator]:
    """``with start_simulator(cfg) as sim: … sim.base_url …`` — stopped on exit."""
    running = launch_simulator(config, port=port)
    try:
        yield running
    finally:
        running.stop()
