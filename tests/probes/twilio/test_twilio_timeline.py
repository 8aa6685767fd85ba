"""Call planning (pure): rings, timeouts, who hangs up, IVR hand-over, cut-off speech."""

from __future__ import annotations

from probes.twilio_sim.scenarios import NumberScenario, Utterance
from probes.twilio_sim.timeline import plan_call
from probes.twilio_sim.twiml import parse_twiml

SILENT_40 = parse_twiml("<Response><Pause length='40'/><Hangup/></Response>")


def _agent(**kw: object) -> NumberScenario:
    base: dict[str, object] = {
        "answer_after_rings": 2,
        "utterances": [Utterance(text="甲", then_wait_s=5), Utterance(text="乙", then_wait_s=5)],
    }
    base.update(kw)
    return NumberScenario.model_validate(base)


def test_agent_hangs_up_after_last_wait() -> None:
    plan = plan_call(_agent(), ring_seconds=5, script=SILENT_40, utterance_seconds=[3.0, 2.0])
    assert (plan.status, plan.ringing_at, plan.answered_at) == ("completed", 1.0, 11.0)
    assert [(s.start_s, s.end_s) for s in plan.segments] == [(0.5, 3.5), (8.5, 10.5)]
    assert plan.ended_by == "callee" and plan.duration_s == 15.5


def test_caller_hangs_up_and_cuts_speech() -> None:
    script = parse_twiml("<Response><Pause length='9'/><Hangup/></Response>")
    plan = plan_call(_agent(), ring_seconds=5, script=script, utterance_seconds=[3.0, 2.0])
    assert plan.ended_by == "caller" and plan.duration_s == 9.0
    assert [s.complete for s in plan.segments] == [True, False]
    assert plan.segments[1].end_s == 9.0


def test_answer_later_than_ring_timeout_is_no_answer() -> None:
    plan = plan_call(
        _agent(answer_after_rings=13), ring_seconds=5, script=SILENT_40,
        utterance_seconds=[3.0, 2.0], timeout_s=60,
    )  # fmt: skip
    assert (plan.status, plan.answered_at, plan.ended_at) == ("no-answer", None, 61.0)


def test_time_limit_ends_the_call() -> None:
    scenario = _agent(agent_hangs_up=False)
    plan = plan_call(
        scenario, ring_seconds=5, script=SILENT_40, utterance_seconds=[3.0, 2.0], time_limit_s=12
    )
    assert plan.ended_by == "time_limit" and plan.duration_s == 12


def test_ivr_hands_over_only_after_the_right_key() -> None:
    scenario = _agent(ivr_digits="0", ivr_prompt="按零")
    right = parse_twiml("<Response><Play digits='w0'/><Pause length='40'/></Response>")
    plan = plan_call(
        scenario, ring_seconds=5, script=right, utterance_seconds=[3.0, 2.0], ivr_prompt_seconds=4
    )
    kinds = [(s.kind, s.complete) for s in plan.segments]
    assert kinds == [("ivr", False), ("agent", True), ("agent", True)]
    assert plan.digits == [(0.5, "0")]
    wrong = parse_twiml("<Response><Play digits='9'/><Pause length='40'/></Response>")
    plan = plan_call(
        scenario, ring_seconds=5, script=wrong, utterance_seconds=[3.0, 2.0], ivr_prompt_seconds=4
    )
    assert [s.kind for s in plan.segments] == ["ivr"] and plan.ended_by == "caller"
