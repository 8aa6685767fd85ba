"""A local Twilio-compatible telephony simulator for demos and tests.

It speaks Twilio's REST API (calls, recordings, recording media) and calls back the app's
webhooks signed as Twilio signs them, simulating contact centres described in a scenario file.
The app reaches it only through the real twilio SDK with a base URL override.
"""

from probes.twilio_sim.engine import Simulator, SimulatorConfig
from probes.twilio_sim.scenarios import (
    NumberScenario,
    ScenarioError,
    ScenarioSet,
    load_demo_scenarios,
    load_scenarios,
    parse_scenarios,
)
from probes.twilio_sim.server import RunningSimulator, launch_simulator, start_simulator
from probes.twilio_sim.signing import twilio_signature

__all__ = [
    "NumberScenario",
    "RunningSimulator",
    "ScenarioError",
    "ScenarioSet",
    "Simulator",
    "SimulatorConfig",
    "launch_simulator",
    "load_demo_scenarios",
    "load_scenarios",
    "parse_scenarios",
    "start_simulator",
    "twilio_signature",
]
