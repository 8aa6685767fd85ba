"""Plan one simulated call: when it rings, is answered, what is said when, when it ends.

Pure: from the scenario, our TwiML and the lengths of the rendered utterances it computes
every instant in simulated seconds from the moment the call is placed. The server turns the
plan into callbacks (scaled in real time) and the recording (real length).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from probes.twilio_sim.scenarios import NumberScenario
from probes.twilio_sim.twiml import CallScript

RING_START_S = 1.0  # the network needs a moment before the far end rings
BUSY_AFTER_S = 2.0
FAILED_AFTER_S = 1.0
IVR_PROMPT_AFTER_S = 0.3
AGENT_AFTER_DIGITS_S = 1.0  # the transfer from IVR to a human


@dataclass(frozen=True)
class Segment:
    """Something heard on the callee's track, in seconds from the answer."""

    start_s: float
    duration_s: float
    text: str
    kind: str = "agent"  # "agent" | "ivr"
    complete: bool = True  # False when the call ended while it was being said

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class CallPlan:
    status: str  # final Twilio status: completed | busy | no-answer | failed
    ringing_at: float | None
    answered_at: float | None
    ended_at: float
    segments: list[Segment] = field(default_factory=list)
    digits: list[tuple[float, str]] = field(default_factory=list)  # from the answer
    ended_by: str = "network"  # "caller" | "callee" | "time_limit" | "network"

    @property
    def duration_s(self) -> float:
        """Seconds in conversation (Twilio's CallDuration): 0 when never answered."""
        if self.answered_at is None:
            return 0.0
        return self.ended_at - self.answered_at


def _sent_digits(script: CallScript, send_digits: str | None) -> list[tuple[float, str]]:
    timeline: list[tuple[float, str]] = []
    t = 0.0
    for ch in send_digits or "":
        if ch in "wW":
            t += 0.5 if ch == "w" else 1.0
        else:
            timeline.append((t, ch))
            t += 0.5
    offset = t
    timeline.extend((offset + at, d) for at, d in script.digits_timeline())
    return timeline


def plan_call(
    scenario: NumberScenario,
    *,
    ring_seconds: float,
    script: CallScript,
    utterance_seconds: list[float],
    ivr_prompt_seconds: float = 0.0,
    send_digits: str | None = None,
    timeout_s: float = 60.0,
    time_limit_s: float = 14400.0,
) -> CallPlan:
    """Compute the call's timeline; ``utterance_seconds[i]`` is the spoken length of utterance i."""
    if len(utterance_seconds) != len(scenario.utterances):
        raise ValueError("one rendered length per utterance is needed")
    if scenario.outcome == "failed":
        return CallPlan("failed", None, None, FAILED_AFTER_S)
    if scenario.outcome == "busy":
        return CallPlan("busy", None, None, BUSY_AFTER_S)
    ringing_at = RING_START_S
    # Twilio gives up after Timeout seconds of ringing (seed of the no-answer outcome).
    answer_delay = scenario.answer_after_rings * ring_seconds
    if scenario.outcome == "no-answer" or answer_delay > timeout_s:
        return CallPlan("no-answer", ringing_at, None, ringing_at + timeout_s)
    answered_at = ringing_at + answer_delay

    digits = _sent_digits(script, send_digits)
    segments: list[Segment] = []
    agent_start: float | None = scenario.first_words_after_s
    if scenario.ivr_digits is not None:
        if scenario.ivr_prompt:
            segments.append(
                Segment(IVR_PROMPT_AFTER_S, ivr_prompt_seconds, scenario.ivr_prompt, kind="ivr")
            )
        pressed = "".join(d for _, d in digits)
        if pressed.endswith(scenario.ivr_digits) and digits:
            last_key = digits[-1][0] + 0.5
            agent_start = last_key + AGENT_AFTER_DIGITS_S + scenario.first_words_after_s
            # Barge-in: a key press cuts the prompt short, as IVRs do.
            if segments and segments[0].end_s > digits[0][0]:
                cut = max(digits[0][0] - segments[0].start_s, 0.0)
                segments[0] = Segment(segments[0].start_s, cut, segments[0].text, "ivr", False)
        else:
            agent_start = None  # the IVR never hands the call to a human

    callee_hangup: float | None = None
    if agent_start is not None:
        t = agent_start
        for utt, seconds in zip(scenario.utterances, utterance_seconds, strict=True):
            segments.append(Segment(t, seconds, utt.text))
            t += seconds + utt.then_wait_s
        if scenario.agent_hangs_up:
            callee_hangup = t

    ends = [(script.duration_s, "caller"), (time_limit_s, "time_limit")]
    if callee_hangup is not None:
        ends.append((callee_hangup, "callee"))
    length, ended_by = min(ends, key=lambda e: e[0])
    kept: list[Segment] = []
    for seg in segments:
        if seg.start_s >= length:
            continue
        if seg.end_s > length:
            seg = Segment(seg.start_s, length - seg.start_s, seg.text, seg.kind, complete=False)
        kept.append(seg)
    kept_digits = [(at, d) for at, d in digits if at < length]
    return CallPlan(
        "completed",
        ringing_at,
        answered_at,
        answered_at + length,
        segments=kept,
        digits=kept_digits,
        ended_by=ended_by,
    )
