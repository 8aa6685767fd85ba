"""Which Twilio the app talks to: the real one (credentials in settings) or the local simulator.

With ``AUDIT_TWILIO_ACCOUNT_SID``/``AUDIT_TWILIO_AUTH_TOKEN`` set, calls go to Twilio (or to
``AUDIT_TWILIO_API_BASE_URL`` when set). Without them, ``make run`` (demo mode) starts the
embedded simulator with the demo scenarios and the app talks to it through the same twilio
SDK code path. Tests point the app at their own simulator with :func:`use_account`.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass

import structlog

from audit.settings import Settings, get_settings
from probes.channels.registry import CHANNELS
from probes.channels.voice.twilio import TwilioAccount
from probes.twilio_sim import (
    RunningSimulator,
    SimulatorConfig,
    launch_simulator,
    load_demo_scenarios,
    load_scenarios,
)

log = structlog.get_logger("audit.probing")

DEMO_CALLER_ID = "+861055550000"


@dataclass
class _State:
    override: TwilioAccount | None = None
    caller_ids: tuple[str, ...] = ()
    simulator: RunningSimulator | None = None


_state = _State()
_lock = threading.Lock()


class TelephonyNotConfigured(RuntimeError):
    """No Twilio credentials and no simulator: voice probes cannot be placed."""


def use_account(account: TwilioAccount | None, caller_ids: tuple[str, ...] = ()) -> None:
    """Point the app at this Twilio endpoint (tests, embedded simulator); None to reset."""
    with _lock:
        _state.override = account
        _state.caller_ids = caller_ids


def current_account(settings: Settings | None = None) -> TwilioAccount:
    if _state.override is not None:
        return _state.override
    settings = settings or get_settings()
    if settings.twilio_account_sid and settings.twilio_auth_token:
        return TwilioAccount(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            settings.twilio_api_base_url,
        )
    raise TelephonyNotConfigured(
        "no Twilio account: set AUDIT_TWILIO_ACCOUNT_SID and AUDIT_TWILIO_AUTH_TOKEN, "
        "or run in demo mode (make run) to use the local simulator"
    )


def caller_ids(settings: Settings | None = None) -> tuple[str, ...]:
    if _state.caller_ids:
        return _state.caller_ids
    settings = settings or get_settings()
    return tuple(settings.twilio_caller_ids)


def start_embedded_simulator(settings: Settings | None = None) -> RunningSimulator:
    """Start the local Twilio simulator (demo scenarios) and make the app use it.

    Scenario file: ``AUDIT_TWILIO_SIM_SCENARIOS`` (default ``probes/scenarios/demo.yaml``);
    speed: ``AUDIT_TWILIO_SIM_TIME_SCALE`` (default 0.25: a 40 s call takes 10 s; callback
    timestamps stay in simulated seconds). Idempotent: a second call returns the same one.
    """
    settings = settings or get_settings()
    with _lock:
        if _state.simulator is not None:
            return _state.simulator
    path = os.environ.get("AUDIT_TWILIO_SIM_SCENARIOS")
    scenarios = load_scenarios(path) if path else load_demo_scenarios()
    scale = float(os.environ.get("AUDIT_TWILIO_SIM_TIME_SCALE", "0.25"))
    account_sid = "AC" + secrets.token_hex(16)
    token = secrets.token_hex(16)
    # Replies to our texts come to the inbound-message webhook of our numbers, as configured
    # on them in Twilio's console: the Twilio channel's ``lookup`` hook.
    inbound = next((h.path for c in CHANNELS if c.provider == "twilio"
                    for h in c.webhooks if h.run == "lookup"), None)  # fmt: skip
    sms_url = f"{settings.public_base_url.rstrip('/')}{inbound}" if inbound else None
    running = launch_simulator(
        SimulatorConfig(
            account_sid,
            token,
            scenarios,
            time_scale=scale,
            media_requires_auth=True,
            sms_url=sms_url,
        )
    )
    use_account(
        TwilioAccount(account_sid, token, running.base_url),
        tuple(settings.twilio_caller_ids) or (DEMO_CALLER_ID,),
    )
    with _lock:
        _state.simulator = running
    log.info("twilio simulator started", url=running.base_url, scenarios=path or "demo")
    return running


def stop_embedded_simulator() -> None:
    with _lock:
        running, _state.simulator = _state.simulator, None
    if running is not None:
        running.stop()
        use_account(None)
