"""Test audio with known truth: spoken greetings (espeak-ng + sox), silences, tones, mixing.

Used by the analyser tests, the benchmark and the local Twilio simulator. Speech is rendered
by ``espeak-ng -v cmn-latn-pinyin`` from pinyin with tone digits (the Debian voice reads
Chinese characters poorly) and resampled by sox to telephony rate; rendered clips are cached
on disk by their parameters, so a test suite renders each phrase once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from probes.analysis.audio import read_wav

Samples = npt.NDArray[np.int16]

# Seed 001 §6.3.4: the three silent-call greetings (XX = the company, here 长城宽带).
GREETING_FIRST = (
    "nin2 hao3, chang2 cheng2 kuan1 dai4 ke4 fu2 zhong1 xin1, huan1 ying2 nin2 de5 lai2 "
    "dian4. qing3 wen4 you3 shen2 me5 ke3 yi3 bang1 nin2?"
)
GREETING_SECOND = "nin2 hao3! qing3 wen4 you3 shen2 me5 ke3 yi3 bang1 nin2?"
GREETING_THIRD = (
    "fei1 chang2 bao4 qian4, nin2 de5 dian4 hua4 mei2 you3 sheng1 yin1, qing3 nin2 huan4 "
    "yi2 bu4 dian4 hua4 zai4 da3 lai2, zai4 jian4!"
)
SILENT_CALL_GREETINGS = (GREETING_FIRST, GREETING_SECOND, GREETING_THIRD)
# Seed 002 情景2 house rule: "请问可以听到我的声音吗?"
CAN_YOU_HEAR_ME = "qing3 wen4 ke3 yi3 ting1 dao4 wo3 de5 sheng1 yin1 ma5?"

# What neighbouring agents say in the background of a call centre.
CHATTER_SENTENCES = (
    "xian1 sheng1 nin2 hao3, nin2 de5 tao4 can1 mei3 yue4 wu3 shi2 ba1 yuan2, "
    "bao1 han2 san1 shi2 G liu2 liang4.",
    "qing3 nin2 shao1 deng3, wo3 bang1 nin2 cha2 xun2 yi2 xia4 zhang4 dan1 ming2 xi4.",
    "nin2 de5 kuan1 dai4 gu4 zhang4 yi3 jing1 deng1 ji4, wei2 xiu1 ren2 yuan2 ming2 tian1 "
    "shang4 wu3 shang4 men2.",
    "gan3 xie4 nin2 de5 nai4 xin1 deng3 hou4, zhe4 ge4 ye4 wu4 xu1 yao4 ben3 ren2 ban4 li3.",
    "hao3 de5, nin2 de5 wen4 ti2 wo3 yi3 jing1 ji4 lu4 le5, hai2 you3 shen2 me5 xu1 yao4 "
    "bang1 zhu4 de5 ma5?",
)
CHATTER_VOICES = ("+f3", "+m3", "+f2", "+m7")

# Nominal agent speech level (active speech, dBFS) for rendered greetings.
AGENT_LEVEL_DBFS = -20.0


class SynthError(RuntimeError):
    """espeak-ng or sox is missing or failed."""


def cache_dir() -> Path:
    path = Path(os.environ.get("SQA_AUDIO_CACHE", Path(tempfile.gettempdir()) / "sqa-voice"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def render(
    pinyin: str,
    *,
    voice: str = "",
    speed: int = 160,
    pitch: int = 50,
    rate: int = 8000,
    level_dbfs: float = AGENT_LEVEL_DBFS,
) -> Samples:
    """Speak pinyin (tone digits) into int16 samples at ``rate``, silence trimmed at both ends.

    ``voice`` is an espeak variant suffix such as ``"+f3"``; the result is scaled so its active
    speech level is ``level_dbfs``.
    """
    key = hashlib.sha256(repr((pinyin, voice, speed, pitch, rate)).encode()).hexdigest()[:24]
    target = cache_dir() / f"{key}.wav"
    if not target.exists():
        _render_to(target, pinyin, voice, speed, pitch, rate)
    samples = trim(read_wav(target).channels[0], rate)
    return set_level(samples, rate, level_dbfs)


def _render_to(target: Path, pinyin: str, voice: str, speed: int, pitch: int, rate: int) -> None:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SynthError(f"{tool} is not installed (apt-get install espeak-ng sox)")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        raw = Path(tmp) / "raw.wav"
        out = Path(tmp) / "out.wav"
        cmds = [
            [
                *("espeak-ng", "-v", f"cmn-latn-pinyin{voice}", "-s", str(speed)),
                *("-p", str(pitch), "-w", str(raw), pinyin),
            ],
            ["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", "-e", "signed", str(out)],
        ]
        for cmd in cmds:
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SynthError(f"{cmd[0]} failed: {done.stderr.strip()[:300]}")
        # Atomic: parallel test workers may render the same clip at once.
        os.replace(out, target)


def trim(samples: Samples, rate: int, threshold_dbfs: float = -50.0) -> Samples:
    """Cut leading and trailing silence (10 ms blocks below ``threshold_dbfs``)."""
    block = rate // 100
    n = len(samples) // block
    if n == 0:
        return samples
    levels = _block_dbfs(samples[: n * block].reshape(n, block))
    loud = np.flatnonzero(levels > threshold_dbfs)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] * block : (loud[-1] + 1) * block]


def _block_dbfs(blocks: npt.NDArray[np.int16]) -> npt.NDArray[np.float64]:
    power = np.mean(blocks.astype(np.float64) ** 2, axis=1) / 32768.0**2
    return 10.0 * np.log10(power + 1e-12)


def active_level_dbfs(samples: Samples, rate: int) -> float:
    """Active speech level: RMS over 10 ms blocks within 30 dB of the loudest block.

    A simplified ITU-T P.56 level, good enough to set relative levels of test signals.
    """
    block = rate // 100
    n = len(samples) // block
    levels = _block_dbfs(samples[: n * block].reshape(n, block))
    active = levels[levels > levels.max() - 30.0]
    return float(10.0 * np.log10(np.mean(10.0 ** (active / 10.0))))


def set_level(samples: Samples, rate: int, level_dbfs: float) -> Samples:
    gain = 10.0 ** ((level_dbfs - active_level_dbfs(samples, rate)) / 20.0)
    return _to_int16(samples.astype(np.float64) * gain)


def _to_int16(x: npt.NDArray[np.float64]) -> Samples:
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def silence(seconds: float, rate: int = 8000) -> Samples:
    return np.zeros(round(seconds * rate), dtype=np.int16)


def build_call(
    clips: Sequence[Samples],
    pauses_s: Sequence[float],
    *,
    lead_in_s: float = 1.0,
    final_wait_s: float = 5.0,
    rate: int = 8000,
) -> tuple[Samples, list[tuple[float, float]]]:
    """Lay clips out in time: lead-in, clip, pause, clip, …, final wait.

    Returns the samples and the truth: (start_s, end_s) of every clip.
    """
    if len(pauses_s) != max(len(clips) - 1, 0):
        raise ValueError(f"{len(clips)} clips need {len(clips) - 1} pauses, got {len(pauses_s)}")
    parts = [silence(lead_in_s, rate)]
    truth: list[tuple[float, float]] = []
    t = len(parts[0])
    for i, clip in enumerate(clips):
        truth.append((t / rate, (t + len(clip)) / rate))
        parts.append(clip)
        t += len(clip)
        gap = silence(pauses_s[i] if i < len(pauses_s) else final_wait_s, rate)
        parts.append(gap)
        t += len(gap)
    return np.concatenate(parts), truth


def silent_call(
    pauses_s: Sequence[float],
    *,
    repetitions: int = 3,
    lead_in_s: float = 1.0,
    final_wait_s: float = 5.0,
    rate: int = 8000,
) -> tuple[Samples, list[tuple[float, float]]]:
    """An agent's side of a silent call: ``repetitions`` greetings of seed 001 §6.3.4."""
    texts = [SILENT_CALL_GREETINGS[min(i, 2)] for i in range(repetitions)]
    clips = [render(t, rate=rate) for t in texts]
    return build_call(clips, pauses_s, lead_in_s=lead_in_s, final_wait_s=final_wait_s, rate=rate)


def chatter(seconds: float, rate: int = 8000, *, seed: int = 0) -> Samples:
    """Continuous speech of other agents (several voices, short gaps) for ``seconds``."""
    rng = np.random.default_rng(seed)
    parts: list[Samples] = []
    total = 0
    target = round(seconds * rate)
    while total < target:
        sentence = CHATTER_SENTENCES[int(rng.integers(len(CHATTER_SENTENCES)))]
        voice = CHATTER_VOICES[int(rng.integers(len(CHATTER_VOICES)))]
        clip = render(sentence, voice=voice, speed=int(rng.integers(150, 190)), rate=rate)
        gap = silence(float(rng.uniform(0.1, 0.6)), rate)
        parts += [clip, gap]
        total += len(clip) + len(gap)
    return np.concatenate(parts)[:target]


def mix_under(main: Samples, other: Samples, relative_db: float, rate: int = 8000) -> Samples:
    """Add ``other`` under ``main`` with its active level ``relative_db`` dB from main's.

    ``other`` is looped or cut to main's length.
    """
    reps = -(-len(main) // max(len(other), 1))
    other = np.tile(other, reps)[: len(main)]
    level = active_level_dbfs(main, rate) + relative_db
    quiet = set_level(other, rate, level)
    return _to_int16(main.astype(np.float64) + quiet.astype(np.float64))


def tone(
    seconds: float,
    freqs_hz: Sequence[float] = (450.0,),
    *,
    rate: int = 8000,
    level_dbfs: float = AGENT_LEVEL_DBFS,
    on_s: float | None = None,
    off_s: float = 0.0,
) -> Samples:
    """Sum of sines (e.g. 450 Hz ring-back, a 1 kHz test tone); optional on/off cadence."""
    t = np.arange(round(seconds * rate)) / rate
    x = np.zeros(len(t))
    for f in freqs_hz:
        x += np.sin(2 * np.pi * f * t) / len(freqs_hz)
    if on_s is not None:
        x *= (t % (on_s + off_s)) < on_s
    amp = 10.0 ** (level_dbfs / 20.0) * 32768.0 * np.sqrt(2.0)
    return _to_int16(x * amp)


def ringback(seconds: float, rate: int = 8000, level_dbfs: float = AGENT_LEVEL_DBFS) -> Samples:
    """China's ring-back tone: 450 Hz, 1 s on, 4 s off."""
    return tone(seconds, (450.0,), rate=rate, level_dbfs=level_dbfs, on_s=1.0, off_s=4.0)


def hold_music(
    seconds: float, rate: int = 8000, *, level_dbfs: float = AGENT_LEVEL_DBFS, seed: int = 0
) -> Samples:
    """Synthetic hold music: a melody of plucked-string notes over sustained chords."""
    rng = np.random.default_rng(seed)
    n = round(seconds * rate)
    out = np.zeros(n)
    scale = [261.63, 293.66, 329.63, 392.0, 440.0, 523.25, 587.33, 659.25]
    chords = [(130.81, 164.81, 196.0), (110.0, 130.81, 164.81), (98.0, 123.47, 146.83)]
    beat = 0.3
    pos = 0
    while pos < n:
        note_len = round(beat * rate * int(rng.integers(1, 4)))
        t = np.arange(min(note_len, n - pos)) / rate
        freq = scale[int(rng.integers(len(scale)))]
        env = np.exp(-3.0 * t)
        # Fundamental plus two harmonics, like a plucked or keyboard instrument.
        out[pos : pos + len(t)] += env * (
            np.sin(2 * np.pi * freq * t)
            + 0.5 * np.sin(4 * np.pi * freq * t)
            + 0.25 * np.sin(6 * np.pi * freq * t)
        )
        pos += note_len
    bar = round(4 * beat * rate)
    for i, start in enumerate(range(0, n, bar)):
        t = np.arange(min(bar, n - start)) / rate
        for f in chords[i % len(chords)]:
            out[start : start + len(t)] += 0.3 * np.sin(2 * np.pi * f * t)
    level = 10.0 * np.log10(np.mean(out**2) + 1e-12)
    return _to_int16(out * 10.0 ** ((level_dbfs - level) / 20.0) * 32768.0)


def write_wav(path: str | Path, channels: Sequence[Samples], rate: int = 8000) -> Path:
    """Write 16-bit PCM WAV; channels are padded with silence to the longest."""
    length = max(len(c) for c in channels)
    padded = [np.pad(c, (0, length - len(c))) for c in channels]
    frames = np.stack(padded, axis=1).astype("<i2")
    path = Path(path)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(len(channels))
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames.tobytes())
    return path
