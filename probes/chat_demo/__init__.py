"""A local demo chat site whose agent behaves as configured (tests, bench, ``make run``)."""

from probes.chat_demo.agent import SCENARIOS, AgentScript, scenario_from_query
from probes.chat_demo.server import DemoChatSite

__all__ = ["SCENARIOS", "AgentScript", "DemoChatSite", "scenario_from_query"]
