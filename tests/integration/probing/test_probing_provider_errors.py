"""Twilio errors end the run as probe_error with Twilio's code and whether retrying can help."""

from __future__ import annotations

from typing import Any

import pytest
from probing_support import Live


@pytest.mark.parametrize(
    ("target", "code", "permanent"),
    [("+861055550113", 21214, True), ("+861055550112", 20429, False)],
)
async def test_provider_error_recorded(
    live: Live, hotline: dict[str, Any], target: str, code: int, permanent: bool
) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target=target)
    assert run["status"] == "probe_error"
    assert (run["error_code"], run["error_permanent"]) == (code, permanent)
    assert str(code) in run["error_reason"]
    assert run["provider_ref"] is None and run["measures"] is None


async def test_invalid_number_is_refused_before_dialing(
    live: Live, hotline: dict[str, Any]
) -> None:
    r = await live.http.post(
        "/probe-runs", json={"target": "10086"}, headers=live.headers("inspector1")
    )
    assert r.status_code == 400 and "target" in r.text


@pytest.fixture
def extra_scenarios() -> dict[str, Any]:
    return {"+861055550199": {"reject": {"code": 21211}}}


async def test_invalid_number_at_twilio(live: Live, hotline: dict[str, Any]) -> None:
    """A number we accept as E.164 that Twilio rejects: code 21211, permanent."""
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550199")
    assert (run["status"], run["error_code"], run["error_permanent"]) == (
        "probe_error",
        21211,
        True,
    )
