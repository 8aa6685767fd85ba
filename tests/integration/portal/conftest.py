"""Portal fixtures: the real local SMTP server and an HTTPS webhook receiver on free ports,
delivery settings pointing at them, and the usual cast with e-mail addresses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from portal_support import Receiver, start_receiver

from audit.domain.delivery.mailsink import MailSink


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
    from probes.voice import TwilioAccount

    use_account(TwilioAccount("AC" + "7" * 32, "7" * 32, "http://127.0.0.1:9"), ("+861055550000",))
    yield
    use_account(None)
