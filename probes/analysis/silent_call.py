"""The silent-call protocol (seed 001 §6.3.4; seed 002 情景2), judged from the callee channel.

When the caller says nothing, the agent must repeat the greeting (001: three times, 002's house
rule: at least twice) with ~5 s pauses and wait again before hanging up. From the agent's
channel we measure utterances, the pauses between them and the final wait (recording end −
end of the last utterance), and judge them against the checklist binding's parameters.

A recording that *we* ended (the probe's listening time ran out) while the agent was still
inside the protocol proves nothing either way: it is ``inconclusive``, never
``hung_up_too_soon``. Probes whose listening time cannot cover the protocol are refused
before they call (:meth:`SilentCallParams.required_listen_s`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from checklists.schema import Checklist
from probes.analysis.audio import Audio
from probes.analysis.decode import read_recording
from probes.analysis.vad import (
    DEFAULT_CONFIG,
    Utterance,
    VadConfig,
    detect_utterances,
    frame_energy_dbfs,
    frames,
    tonal_flags,
)

Verdict = Literal["pass", "fail", "inconclusive"]
# Reasons, in the order they are reported (issue 4 vocabulary).
REASONS = ("too_few_repetitions", "pause_too_short", "pause_too_long", "hung_up_too_soon")
LISTENING_TOO_SHORT = "listening_too_short"
# A recording this close to the listening limit was ended by the probe, not by the agent.
CUT_TOLERANCE_S = 1.0
SILENT_MEASURE_ROOT = "silent_call"


class ParamError(ValueError):
    """A protocol parameter of a checklist binding is invalid; the message names the field."""


@dataclass(frozen=True)
class SilentCallParams:
    """Protocol parameters; defaults are seed 001 §6.3.4 (three greetings, 5 s pauses).

    The pause window 4-10 s and the 4 s final wait leave room around the seed's 5 s for a
    human's timing. ``closing_phrase`` is carried for the transcript check; audio cannot
    judge wording.
    """

    repetitions: int = 3
    pause_min_s: float = 4.0
    pause_max_s: float = 10.0
    final_wait_min_s: float = 4.0
    min_silence_s: float = 1.0
    closing_phrase: str | None = None
    # How long one greeting takes to say (for the listening time a probe needs).
    greeting_s: float = 5.0

    def __post_init__(self) -> None:
        if self.repetitions < 1:
            raise ParamError(f"repetitions must be at least 1, got {self.repetitions}")
        for name in (
            "pause_min_s",
            "pause_max_s",
            "final_wait_min_s",
            "min_silence_s",
            "greeting_s",
        ):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ParamError(f"{name} must be a non-negative number, got {value!r}")
        if self.pause_min_s > self.pause_max_s:
            raise ParamError(
                f"pause_min_s ({self.pause_min_s}) is greater than pause_max_s ({self.pause_max_s})"
            )
        if self.min_silence_s <= 0:
            raise ParamError(f"min_silence_s must be positive, got {self.min_silence_s}")

    def required_listen_s(self) -> float:
        """Listening time that covers a compliant agent who takes the longest allowed pauses:
        repetitions × greeting + (repetitions − 1) × pause_max + final wait."""
        pauses = (self.repetitions - 1) * self.pause_max_s
        return round(self.repetitions * self.greeting_s + pauses + self.final_wait_min_s, 2)

    def explain_listen(self) -> str:
        return (
            f"{self.repetitions} × {self.greeting_s:g} s greeting + {self.repetitions - 1} × "
            f"{self.pause_max_s:g} s pauses + {self.final_wait_min_s:g} s final wait = "
            f"{self.required_listen_s():g} s"
        )

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any] | None, *, strict: bool = True
    ) -> SilentCallParams:
        """Build from a checklist binding's ``params``; missing keys take the defaults.

        ``strict`` rejects unknown keys (a misspelt ``repetition: 2`` would otherwise fall back
        to the default silently); pass ``strict=False`` when the mapping also holds rule
        parameters that are not the protocol's.
        """
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in (params or {}).items():
            if key not in known:
                if strict:
                    raise ParamError(
                        f"unknown silent-call parameter {key!r}; known: {', '.join(known)}"
                    )
                continue
            values[key] = _coerce(key, value)
        return cls(**values)


def _coerce(key: str, value: Any) -> Any:
    if key == "closing_phrase":
        if value is not None and not isinstance(value, str):
            raise ParamError(f"closing_phrase must be text, got {value!r}")
        return value
    if key == "repetitions":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(f"repetitions must be a whole number, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamError(f"{key} must be a number of seconds, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class SilentCallResult:
    utterances: tuple[Utterance, ...]
    pauses_s: tuple[float, ...]
    final_wait_s: float | None  # None when no utterance was heard
    duration_s: float
    verdict: Verdict
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The exact JSON of ``audit probes analyze --protocol silent-call`` (issue 4)."""
        return {
            "utterances": [{"start_s": u.start_s, "end_s": u.end_s} for u in self.utterances],
            "pauses_s": list(self.pauses_s),
            "final_wait_s": self.final_wait_s,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
        }

    def measures(self) -> dict[str, Any]:
        """Measures under the names of ``checklists.measures`` (``silent_call.*``).

        An inconclusive recording has no verdict (null): the item cannot be judged (N/A),
        and ``silent_call.inconclusive`` says why."""
        return {
            "silent_call": {
                "verdict": None if self.verdict == "inconclusive" else self.verdict,
                "inconclusive": self.verdict == "inconclusive",
                "repetitions": len(self.utterances),
                "final_wait_s": self.final_wait_s,
                "reasons": list(self.reasons),
            }
        }


def judge(
    utterances: list[Utterance] | tuple[Utterance, ...],
    duration_s: float,
    params: SilentCallParams | None = None,
    *,
    listen_s: float | None = None,
) -> SilentCallResult:
    """Verdict from utterances (sorted, non-overlapping) and the recording's length.

    ``listen_s``: the probe's listening limit; a recording that lasted that long was ended
    by the probe, so an unfinished protocol is ``inconclusive`` unless what was heard already
    breaks it (a pause out of bounds, or a silence longer than the longest allowed pause).
    """
    p = params or SilentCallParams()
    utts = tuple(utterances)
    # Round once and judge the rounded figures, so the printed numbers explain the verdict.
    pauses = tuple(round(b.start_s - a.end_s, 2) for a, b in itertools.pairwise(utts))
    final_wait = round(max(duration_s - utts[-1].end_s, 0.0), 2) if utts else None
    found: set[str] = set()
    if len(utts) < p.repetitions:
        found.add("too_few_repetitions")
    if any(pause < p.pause_min_s for pause in pauses):
        found.add("pause_too_short")
    if any(pause > p.pause_max_s for pause in pauses):
        found.add("pause_too_long")
    if final_wait is not None and final_wait < p.final_wait_min_s:
        found.add("hung_up_too_soon")
    reasons = tuple(r for r in REASONS if r in found)
    verdict: Verdict = "fail" if reasons else "pass"
    cut_short = listen_s is not None and duration_s >= listen_s - CUT_TOLERANCE_S
    if reasons and cut_short and not found & {"pause_too_short", "pause_too_long"}:
        trailing = duration_s - (utts[-1].end_s if utts else 0.0)
        # Still inside the protocol when we stopped listening: the next greeting (or the
        # agent's own hang-up after the final wait) could have come.
        if len(utts) >= p.repetitions or trailing <= p.pause_max_s:
            verdict, reasons = "inconclusive", (LISTENING_TOO_SHORT,)
    return SilentCallResult(
        utterances=utts,
        pauses_s=pauses,
        final_wait_s=final_wait,
        duration_s=round(duration_s, 3),
        verdict=verdict,
        reasons=reasons,
    )


def protocol_params(checklist: Checklist) -> dict[str, Any]:
    """The parameters of the checklist's silent-call binding ({} when it has none)."""
    for item in checklist.items():
        b = item.measure
        if b is not None and b.measure.split(".")[0] == SILENT_MEASURE_ROOT:
            return dict(b.params)
    return {}


def analyze_samples(
    samples: npt.NDArray[np.int16],
    rate: int,
    params: SilentCallParams | None = None,
    *,
    start_s: float = 0.0,
    listen_s: float | None = None,
    config: VadConfig = DEFAULT_CONFIG,
) -> SilentCallResult:
    """Silent-call analysis of one channel (the callee's) of int16 samples.

    Sound before ``start_s`` (an IVR menu before the probe's DTMF reached a human) is not
    judged; times stay relative to the start of the recording.
    """
    p = params or SilentCallParams()
    if not math.isfinite(start_s) or start_s < 0:
        raise ParamError(f"start_s must be a non-negative number of seconds, got {start_s!r}")
    offset = min(round(start_s * rate), len(samples))
    found = detect_utterances(samples[offset:], rate, min_silence_s=p.min_silence_s, config=config)
    shift = offset / rate
    utts = [Utterance(round(u.start_s + shift, 3), round(u.end_s + shift, 3)) for u in found]
    return judge(utts, len(samples) / rate, p, listen_s=listen_s)


def callee_channel(audio: Audio) -> int:
    """The channel to judge when none is named: the one with more speech energy.

    The probe stays silent, so its own channel carries (near) silence and perhaps DTMF;
    which side of a dual-channel recording is the callee depends on how the call was placed.
    """
    if audio.n_channels == 1:
        return 0
    energies = [float(np.mean(c.astype(np.float64) ** 2)) for c in audio.channels]
    return int(np.argmax(energies))


def dtmf_end_s(
    samples: npt.NDArray[np.int16], rate: int, config: VadConfig = DEFAULT_CONFIG
) -> float | None:
    """End of the last key tone on the probe's own channel (None: no tone sent).

    The probe says nothing, so any tonal sound on its channel is a DTMF digit it sent. Key
    tones can be short (40 ms and up), hence the narrow window.
    """
    framed = frames(samples, rate, config.frame_ms)
    if framed.shape[0] == 0:
        return None
    narrow = replace(config, tonal_window=3)
    sounding = (frame_energy_dbfs(framed) > config.floor_dbfs) & tonal_flags(framed, narrow)
    hits = np.flatnonzero(sounding)
    if hits.size == 0:
        return None
    return round((int(hits[-1]) + 1) * config.frame_ms / 1000.0, 3)


def analyze_recording(
    source: str | Path | bytes,
    params: SilentCallParams | None = None,
    *,
    channel: int | None = None,
    start_s: float | None = None,
    listen_s: float | None = None,
    config: VadConfig = DEFAULT_CONFIG,
) -> SilentCallResult:
    """Read a recording (path or bytes) and analyse ``channel`` (0-based; default: the callee).

    ``start_s`` None means: on a stereo recording, start after the last DTMF digit the probe
    sent (heard on the other channel), so an IVR menu is not taken for greetings; else 0.
    Raises :class:`probes.analysis.audio.AudioError` for unusable recordings.
    """
    audio = read_recording(source)
    index = callee_channel(audio) if channel is None else channel
    samples = audio.channel(index)
    if start_s is None:
        start_s = 0.0
        if audio.n_channels == 2:
            start_s = dtmf_end_s(audio.channel(1 - index), audio.sample_rate, config) or 0.0
    return analyze_samples(
        samples, audio.sample_rate, params, start_s=start_s, listen_s=listen_s, config=config
    )
