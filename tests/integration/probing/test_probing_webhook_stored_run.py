"""A callback naming a stored run that no registered channel names (a chat run row without
``params.channel``, as tests/web_world.py stores one) is a 404 for that channel's webhook, not a
500 from the channel registry (found by the schemathesis run, issue 16 item 21)."""

from __future__ import annotations

import datetime as dt
from typing import Any


async def test_a_run_of_no_known_channel_is_404_to_a_webhook(client: Any, cast: Any) -> None:
    from audit.domain.probing.tables import ProbeRun

    at = dt.datetime(2026, 3, 10, 6, 5, tzinfo=dt.UTC)
    rows = await ProbeRun.insert(
        ProbeRun(kind="chat", status="completed", venue=None, operator=cast.operator_b["id"],
                 target="https://chat.example.test/", provider="browser", outcome="completed",
                 started_at=at, created_at=at)
    ).returning(ProbeRun.id)  # fmt: skip
    r = await client.post(f"/webhooks/chat/{rows[0]['id']}", content=b"{}")
    assert r.status_code == 404, r.text
