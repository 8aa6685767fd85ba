"""Real audio for simulated recordings: Mandarin speech, DTMF, telephone WAVs.

Speech comes from :mod:`probes.audio.synth` (espeak-ng ``cmn-latn-pinyin`` + sox, cached on
disk); that voice reads Chinese characters with the right tones too, so scenario files hold
the agent's words in characters, the same text the transcription callbacks report.
Recordings are 8 kHz 16-bit PCM, as Twilio's.
"""

from __future__ import annotations

import io
import threading
import wave

import numpy as np
import numpy.typing as npt

from probes.audio import synth
from probes.twilio_sim.timeline import CallPlan

RATE = 8000
NOISE_FLOOR_DBFS = -66.0
_DTMF = {
    "1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "A": (697, 1633),
    "4": (770, 1209), "5": (770, 1336), "6": (770, 1477), "B": (770, 1633),
    "7": (852, 1209), "8": (852, 1336), "9": (852, 1477), "C": (852, 1633),
    "*": (941, 1209), "0": (941, 1336), "#": (941, 1477), "D": (941, 1633),
}  # fmt: skip
DTMF_TONE_S = 0.25

Pcm = npt.NDArray[np.int16]

_memory: dict[str, Pcm] = {}
_lock = threading.Lock()


def speak(text: str, voice: str = "") -> Pcm:
    """``text`` spoken at the agent's level as 8 kHz int16 samples, silence trimmed."""
    key = f"{voice}\0{text}"
    with _lock:
        cached = _memory.get(key)
    if cached is None:
        cached = synth.render(text, voice=voice, rate=RATE)
        with _lock:
            _memory[key] = cached
    return cached


def seconds_of(pcm: Pcm) -> float:
    return pcm.shape[0] / RATE


def dtmf(digit: str) -> Pcm:
    low, high = _DTMF[digit]
    t = np.arange(int(DTMF_TONE_S * RATE)) / RATE
    wave_ = 0.35 * (np.sin(2 * np.pi * low * t) + np.sin(2 * np.pi * high * t))
    return (wave_ * 32767 * 0.5).astype(np.int16)


def _place(track: npt.NDArray[np.float64], pcm: Pcm, at_s: float, gain: float = 1.0) -> None:
    start = round(at_s * RATE)
    if start >= track.shape[0]:
        return
    clip = pcm[: track.shape[0] - start].astype(np.float64) * gain
    track[start : start + clip.shape[0]] += clip


def render_recording(
    plan: CallPlan,
    *,
    background: tuple[list[str], float] | None = None,
    seed: int = 0,
) -> tuple[Pcm, Pcm]:
    """Both tracks of the call from answer to hang-up: (caller, callee) int16 at 8 kHz.

    The caller (our probe) says nothing; only the DTMF keys it sends are on its track. The
    callee track carries the IVR prompt and the agent, with optional background chatter
    ``(texts, level_db)`` looped quietly underneath.
    """
    n = round(plan.duration_s * RATE)
    rng = np.random.default_rng(seed)
    floor = 32767.0 * 10 ** (NOISE_FLOOR_DBFS / 20.0)
    caller = rng.normal(0.0, floor, n)
    callee = rng.normal(0.0, floor, n)
    for at, digit in plan.digits:
        _place(caller, dtmf(digit), at)
    for seg in plan.segments:
        pcm = speak(seg.text)
        _place(callee, pcm[: round(seg.duration_s * RATE)], seg.start_s)
    if background is not None and n:
        texts, level_db = background
        if texts:
            clips = [speak(t, synth.CHATTER_VOICES[i % 4]) for i, t in enumerate(texts)]
            gap = synth.silence(0.7, RATE)
            bed = np.concatenate([part for clip in clips for part in (clip, gap)])
        else:
            bed = synth.chatter(plan.duration_s + 1.0, RATE, seed=seed)
        bed = np.tile(bed, -(-n // len(bed)))[:n]
        level = synth.AGENT_LEVEL_DBFS + level_db
        callee += synth.set_level(bed, RATE, level).astype(np.float64)
    return (
        np.clip(caller, -32768, 32767).astype(np.int16),
        np.clip(callee, -32768, 32767).astype(np.int16),
    )


def wav_bytes(channels: list[Pcm], rate: int = RATE) -> bytes:
    """16-bit PCM WAV with the given channels interleaved (channel 1 first)."""
    frames = np.stack(channels, axis=1).astype("<i2") if len(channels) > 1 else channels[0]
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.ascontiguousarray(frames).astype("<i2").tobytes())
    return buf.getvalue()


def mixdown(caller: Pcm, callee: Pcm) -> Pcm:
    mixed = caller.astype(np.int32) + callee.astype(np.int32)
    return np.clip(mixed, -32768, 32767).astype(np.int16)
