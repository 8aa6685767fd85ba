"""Callbacks are idempotent and order-independent: delivered twice each and in reverse order
(completed first), the run ends with the same measures as an in-order delivery; replaying a
callback afterwards changes nothing."""

from __future__ import annotations

from typing import Any

from probing_support import AUTH_TOKEN, PUBLIC, Live

from probes.twilio_sim import twilio_signature


async def test_reversed_and_duplicated(live: Live, hotline: dict[str, Any]) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550114")
    run = await live.finished(run)
    sent = [c.params["CallStatus"] for c in live.sim.simulator.callbacks_for(run["provider_ref"])
            if c.kind == "status"]  # fmt: skip
    assert sent[:2] == ["completed", "completed"]  # the end came first, twice
    assert run["status"] == "completed"
    m = run["measures"]
    assert (m["outcome"], m["answer_seconds"], m["rings"]) == ("answered", 10.0, 2)
    assert m["silent_call"]["verdict"] == "pass" and m["greeting"]["verdict"] == "pass"
    assert len(run["evidence_ids"]) == 1  # analysed once despite two 'completed'

    reference = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550101")
    reference = await live.finished(reference)
    assert reference["measures"]["answer_seconds"] == m["answer_seconds"]
    assert reference["measures"]["silent_call"] == m["silent_call"]


async def test_replay_changes_nothing(live: Live, hotline: dict[str, Any]) -> None:
    run = await live.start(inspection_id=hotline["inspection"]["id"], target="+861055550101")
    run = await live.finished(run)
    status_cbs = [
        c for c in live.sim.simulator.callbacks_for(run["provider_ref"]) if c.kind == "status"
    ]
    for cb in status_cbs:
        path = cb.url.removeprefix(PUBLIC)
        sig = twilio_signature(AUTH_TOKEN, cb.url, cb.params)
        r = await live.http.post(path, data=cb.params, headers={"X-Twilio-Signature": sig})
        assert r.status_code == 204
    again = await live.finished(run)
    assert again == run
