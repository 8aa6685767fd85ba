"""Portal fixtures (imported by the portal tests' conftests): the real local SMTP server and an
HTTPS webhook receiver on free ports with delivery settings pointing at them, the cast with
e-mail addresses, caller IDs, and the app served over HTTP with the Twilio simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit.domain.delivery.mailsink import MailSink
from tests.portal_support import Receiver, start_receiver


@pytest.fixture
def mail_sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailSink]:
    from audit.domain.delivery.config import get_delivery_settings

    sink = MailSink(tmp_path / "mail").start()
    monkeypatch.setenv("AUDIT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AUDIT_SMTP_PORT", str(sink.port))
    get_delivery_settings.cache_clear()
    yield sink
    sink.stop()
    get_delivery_settings.cache_clear()


@pytest.fixture
def receiver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    from audit.domain.delivery.config import get_delivery_settings

    tls = tmp_path / "tls"
    tls.mkdir()
    rec = start_receiver(tls)
    monkeypatch.setenv("AUDIT_WEBHOOK_CA_FILE", str(tls / "receiver.pem"))
    monkeypatch.setenv("AUDIT_WEBHOOK_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("AUDIT_DELIVERY_RETRY_BASE_S", "60")
    get_delivery_settings.cache_clear()
    yield rec
    rec.stop()
    get_delivery_settings.cache_clear()


@pytest.fixture
async def mailed_cast(cast: Any) -> Any:
    """The cast, with contact addresses for operator A and supervisors' addresses."""
    from audit.domain.accounts.tables import User
    from audit.domain.operators.tables import Operator

    await Operator.update(
        {Operator.contacts: [{"name": "服务质量部", "email": "quality@op-a.example"}]}
    ).where(Operator._meta.primary_key == cast.operator_a["id"])
    await User.update({User.email: "supervisor@regulator.example"}).where(
        User.username == "supervisor"
    )
    return cast


@pytest.fixture
def caller_ids() -> Iterator[None]:
    """Caller IDs for re-probe campaigns (no call is placed unless a test serves the app)."""
    from audit.domain.probing.telephony import use_account
    from probes.channels.voice.twilio import TwilioAccount

    use_account(TwilioAccount("AC" + "7" * 32, "7" * 32, "http://127.0.0.1:9"), ("+861055550000",))
    yield
    use_account(None)


# ---- the app over real HTTP with the Twilio simulator in front (embedded jobs) -------------

SIM_ACCOUNT = "AC" + "4" * 32
SIM_TOKEN = "3" * 32
CALLER = "+861055550000"
PUBLIC = "https://testserver.local"


@pytest.fixture
def served_app(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real app on a free port (uvicorn, lifespan on: the embedded job scheduler runs the
    campaigns' dispatcher, the portal's and delivery's jobs)."""
    import threading
    import time

    import uvicorn

    from audit.core import build_app
    from audit.jobs.config import get_job_settings
    from audit.jobs.limiter import reset_limiter

    monkeypatch.setenv("AUDIT_CALLS_PER_SECOND", "50")
    monkeypatch.setenv("AUDIT_RESULT_POLL_S", "0.2")
    get_job_settings.cache_clear()
    reset_limiter()
    server = uvicorn.Server(
        uvicorn.Config(build_app(), host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "app did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        get_job_settings.cache_clear()
        reset_limiter()


@pytest.fixture
def simulator(served_app: str) -> Iterator[Any]:
    """The Twilio-compatible simulator with the demo contact centres (probes/scenarios)."""
    from audit.domain.probing.telephony import use_account
    from probes.channels.voice.twilio import TwilioAccount
    from probes.twilio_sim import SimulatorConfig, load_demo_scenarios, start_simulator

    config = SimulatorConfig(
        account_sid=SIM_ACCOUNT,
        auth_token=SIM_TOKEN,
        scenarios=load_demo_scenarios(),
        time_scale=0.0005,
        webhook_proxy={PUBLIC: served_app},
        clock_start=__import__("datetime").datetime(
            2026, 3, 10, 6, 0, tzinfo=__import__("datetime").UTC
        ),  # 14:00 in Beijing on a Tuesday: no morning or holiday greeting
    )
    with start_simulator(config) as sim:
        use_account(TwilioAccount(SIM_ACCOUNT, SIM_TOKEN, sim.base_url), (CALLER,))
        try:
            yield sim
        finally:
            use_account(None)
