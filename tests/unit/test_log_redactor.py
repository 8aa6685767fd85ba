"""The log redactor masks secrets by key, by shape and by value, and leaves the rest alone."""

from __future__ import annotations

import pytest

from audit.redaction import MASK, Redactor, settings_secrets

R = Redactor(literals=["AC-auth-token-0123456789"], cookie_names=["audit_session"])


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("postgresql://audit:pw-123@db:5432/audit", "postgresql://audit:[REDACTED]@db:5432/audit"),
        ("Authorization: Bearer sqa_abcdefghijklmnop", "Authorization: [REDACTED]"),
        ("leaked sqa_abcdefghijklmnop here", "leaked sqa_[REDACTED] here"),
        ("Cookie: audit_session=abc.def; theme=dark", "Cookie: [REDACTED]"),
        ("sent audit_session=abc.def to the page", "sent audit_session=[REDACTED] to the page"),
        (
            "{'password': 'correct horse', 'role': 'admin'}",
            "{'password': '[REDACTED]', 'role': 'admin'}",
        ),
        ('{"new_password": "x y z", "n": 1}', '{"new_password": "[REDACTED]", "n": 1}'),
        ("?username=bob&password=s3cr3t&next=/", "?username=bob&password=[REDACTED]&next=/"),
        ("twilio said AC-auth-token-0123456789!", "twilio said [REDACTED]!"),
        ("request_id=abc token_count=3 method=GET", "request_id=abc token_count=3 method=GET"),
    ],
)
def test_text(text: str, kept: str) -> None:
    assert R.text(text) == kept


def test_event_values_by_key_and_header_pairs() -> None:
    event = R(
        None,
        "error",
        {
            "event": "failed",
            "password": "hunter2",
            "request_id": "r1",
            "scope": {"headers": [(b"authorization", b"Bearer x"), (b"host", b"example")]},
            "count": 3,
            "obj": object(),
        },
    )
    assert event["password"] == MASK
    assert event["request_id"] == "r1" and event["count"] == 3
    assert event["scope"]["headers"] == [("authorization", MASK), ["host", "example"]] or event[
        "scope"
    ]["headers"] == [("authorization", MASK), ("host", "example")]
    assert event["obj"].startswith("<object object")


def test_settings_secrets() -> None:
    from audit.settings import Settings

    s = Settings(
        database_url="postgresql://u:p%40ss-word@h:5432/db",
        twilio_auth_token="tok-0123456789",
        broker_url="redis://:redis-pw-1@h:6379/0",
    )
    assert {"p%40ss-word", "p@ss-word", "tok-0123456789", "redis-pw-1"} <= set(settings_secrets(s))
