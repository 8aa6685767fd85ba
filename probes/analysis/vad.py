"""Voice activity on one channel: which stretches of a call are the agent speaking.

Three checks per 30 ms frame, then merging:

1. webrtcvad (mode 3) says the frame sounds like speech;
2. the frame is not part of a stationary tonal stretch (hold music, ring-back, DTMF, test
   tones): tones put nearly all their energy in a few spectral peaks that stay put from frame
   to frame, speech does not — both measured as medians over a 270 ms window;
3. the frame is loud enough to be the agent on the line: within ``gate_db`` of the agent's
   level, estimated from the loudest speech frames. Neighbouring agents in a call centre
   reach the handset ~15 dB or more below the agent; plain VAD counts them as speech and
   merges the greetings into one utterance (issue 4).

Runs of fewer than ``min_run_frames`` frames are dropped (clicks, chatter peaks), gaps shorter
than ``min_silence_s`` are bridged (a spoken greeting has ~0.3 s internal pauses), and
utterances with less than ``min_utterance_s`` of speech are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import webrtcvad
from numpy.lib.stride_tricks import sliding_window_view

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Utterance:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class VadConfig:
    frame_ms: int = 30
    mode: int = 3  # webrtcvad aggressiveness 0-3
    gate_db: float = 10.0  # frames further below the agent's level are not the agent
    # "Agent level" = the K-th loudest speech frame, K = 5 % of them but at most 30 (0.9 s).
    reference_share: float = 0.05
    reference_frames: int = 30
    floor_dbfs: float = -60.0  # never speech: line noise and digital silence
    tonal_threshold: float = 0.9  # windowed peak concentration and spectral stability
    tonal_peak_share: float = 0.95  # windowed share of energy in the 8 strongest bins
    tonal_window: int = 9  # frames in the median window of the tonal features
    min_run_frames: int = 3
    min_utterance_s: float = 0.3
    # Edges: the gate cuts the quiet onset and decay of a greeting; extend each utterance
    # over adjacent speech frames within extend_db of the agent level, at most extend_s.
    extend_db: float = 18.0
    extend_s: float = 0.3

    def __post_init__(self) -> None:
        if self.frame_ms not in (10, 20, 30):
            raise ValueError(f"frame_ms must be 10, 20 or 30 (webrtcvad), got {self.frame_ms}")
        if self.mode not in (0, 1, 2, 3):
            raise ValueError(f"mode must be 0-3, got {self.mode}")


DEFAULT_CONFIG = VadConfig()


def frames(samples: npt.NDArray[np.int16], rate: int, frame_ms: int) -> npt.NDArray[np.int16]:
    """Whole frames as a (n, frame_len) view; a trailing partial frame is not analysed."""
    size = rate * frame_ms // 1000
    n = len(samples) // size
    return np.ascontiguousarray(samples[: n * size]).reshape(n, size)


def webrtc_flags(
    samples: npt.NDArray[np.int16], rate: int, *, mode: int = 3, frame_ms: int = 30
) -> BoolArray:
    """Plain webrtcvad speech/non-speech per frame (also the benchmark's reference)."""
    if rate not in (8000, 16000, 32000, 48000):
        raise ValueError(f"webrtcvad needs 8, 16, 32 or 48 kHz audio, got {rate} Hz")
    framed = frames(samples, rate, frame_ms)
    vad = webrtcvad.Vad(mode)
    raw = memoryview(framed.astype("<i2", copy=False).tobytes())
    step = framed.shape[1] * 2
    is_speech = vad.is_speech
    return np.fromiter(
        (is_speech(raw[i : i + step], rate) for i in range(0, len(raw), step)),
        dtype=np.bool_,
        count=framed.shape[0],
    )


def frame_energy_dbfs(framed: npt.NDArray[np.int16]) -> FloatArray:
    x = framed.astype(np.float64)
    power = np.einsum("ij,ij->i", x, x) / (framed.shape[1] * 32768.0**2)
    return 10.0 * np.log10(power + 1e-12)


def tonal_flags(framed: npt.NDArray[np.int16], config: VadConfig = DEFAULT_CONFIG) -> BoolArray:
    """Frames inside stationary tonal sound (music, tones), not speech."""
    n, size = framed.shape
    if n == 0:
        return np.zeros(0, dtype=np.bool_)
    spectrum = np.abs(np.fft.rfft(framed * np.hanning(size), axis=1))
    # Ignore DC and mains hum below ~100 Hz (bins are 1000 / frame_ms Hz wide).
    low = max(1, -(-100 * config.frame_ms // 1000))
    power = spectrum[:, low:] ** 2
    total = power.sum(axis=1) + 1e-9
    top = np.partition(power, -8, axis=1)[:, -8:].sum(axis=1) / total
    unit = spectrum[:, low:] / (np.linalg.norm(spectrum[:, low:], axis=1, keepdims=True) + 1e-12)
    stable = np.concatenate([[0.0], np.einsum("ij,ij->i", unit[1:], unit[:-1])])
    width = config.tonal_window
    concentrated = _window_median(top, width)
    steady = _window_median(stable, width)
    # Chords beat against each other, which unsettles frame-to-frame stability: a very high
    # concentration alone is enough; a high one needs a steady spectrum too.
    return (concentrated > config.tonal_peak_share) | (
        np.minimum(concentrated, steady) > config.tonal_threshold
    )


def _window_median(values: FloatArray, width: int) -> FloatArray:
    half = width // 2
    padded = np.pad(values, (half, half), mode="edge")
    return np.median(sliding_window_view(padded, width), axis=1)


def agent_frames(
    samples: npt.NDArray[np.int16], rate: int, config: VadConfig = DEFAULT_CONFIG
) -> BoolArray:
    """Per frame: is this the agent on the line speaking (steps 1-3 of the module doc)."""
    framed = frames(samples, rate, config.frame_ms)
    if framed.shape[0] == 0:
        return np.zeros(0, dtype=np.bool_)
    speech = webrtc_flags(samples, rate, mode=config.mode, frame_ms=config.frame_ms)
    energy = frame_energy_dbfs(framed)
    candidate = speech & (energy > config.floor_dbfs)
    if candidate.any():
        candidate &= ~tonal_flags(framed, config)
    if not candidate.any():
        return candidate
    reference = agent_level_dbfs(energy[candidate], config)
    core = candidate & (energy >= reference - config.gate_db)
    edge = candidate & (energy >= reference - config.extend_db)
    return _extend(core, edge, round(config.extend_s * 1000 / config.frame_ms))


def agent_level_dbfs(speech_energy: FloatArray, config: VadConfig = DEFAULT_CONFIG) -> float:
    """The agent's loud-speech level: the K-th loudest speech frame.

    K is ``reference_share`` of the speech frames but at most ``reference_frames``: a fixed
    share alone would sink into the chatter on a long call where the agent spoke briefly.
    """
    k = int(
        np.clip(np.ceil(config.reference_share * speech_energy.size), 1, config.reference_frames)
    )
    return float(np.partition(speech_energy, -k)[-k])


def _extend(core: BoolArray, edge: BoolArray, reach: int) -> BoolArray:
    """Grow each run of ``core`` over contiguous ``edge`` frames, at most ``reach`` frames."""
    out = core.copy()
    for _ in range(reach):
        grown = out.copy()
        grown[1:] |= out[:-1]
        grown[:-1] |= out[1:]
        grown &= edge | out
        if np.array_equal(grown, out):
            break
        out = grown
    return out


def _runs(flags: BoolArray) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(starts, ends) of runs of True, ends exclusive."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def merge_frames(
    flags: BoolArray,
    frame_s: float,
    *,
    min_silence_s: float,
    min_run_frames: int = 1,
    min_utterance_s: float = 0.0,
) -> list[Utterance]:
    """Turn per-frame speech flags into utterances (see the module doc for the rules)."""
    starts, ends = _runs(flags)
    keep = (ends - starts) >= min_run_frames
    starts, ends = starts[keep], ends[keep]
    utterances: list[Utterance] = []
    if starts.size == 0:
        return utterances
    # A gap of min_silence_s or more separates utterances; shorter gaps are bridged.
    split = (starts[1:] - ends[:-1]) * frame_s >= min_silence_s - 1e-9
    group_first = np.concatenate([[0], np.flatnonzero(split) + 1])
    group_last = np.concatenate([group_first[1:] - 1, [starts.size - 1]])
    voiced = np.cumsum(np.concatenate([[0], ends - starts]))
    for first, last in zip(group_first, group_last, strict=True):
        if (voiced[last + 1] - voiced[first]) * frame_s < min_utterance_s:
            continue
        utterances.append(
            Utterance(
                round(float(starts[first] * frame_s), 3), round(float(ends[last] * frame_s), 3)
            )
        )
    return utterances


def detect_utterances(
    samples: npt.NDArray[np.int16],
    rate: int,
    *,
    min_silence_s: float = 1.0,
    config: VadConfig = DEFAULT_CONFIG,
) -> list[Utterance]:
    """Utterances of the loudest talker (the agent) on one channel."""
    flags = agent_frames(samples, rate, config)
    return merge_frames(
        flags,
        config.frame_ms / 1000.0,
        min_silence_s=min_silence_s,
        min_run_frames=config.min_run_frames,
        min_utterance_s=config.min_utterance_s,
    )
