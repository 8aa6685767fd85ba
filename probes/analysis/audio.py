"""Read call recordings: 16-bit PCM WAV, mono or stereo, 8 kHz or 16 kHz.

A small RIFF parser of our own instead of the stdlib ``wave`` module: Python 3.11's ``wave``
rejects WAVE_FORMAT_EXTENSIBLE headers (some recorders write them even for 16-bit PCM) and
gives vague messages for other formats. Every rejection here raises :class:`AudioError`
whose message says what is wrong, so a probe run can be marked ``analysis_failed`` with it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

SUPPORTED_RATES = (8000, 16000)
# A probe call is about a minute; two hours of audio is certainly not a probe recording.
DEFAULT_MAX_SECONDS = 2 * 3600.0

_FORMAT_PCM = 0x0001
_FORMAT_EXTENSIBLE = 0xFFFE
_FORMAT_NAMES = {0x0003: "IEEE float", 0x0006: "A-law", 0x0007: "µ-law", 0x0011: "IMA ADPCM"}
# The first two bytes of the KSDATAFORMAT_SUBTYPE_PCM GUID carry the format code.
_PCM_GUID_TAIL = bytes.fromhex("000000001000800000aa00389b71")


class AudioError(ValueError):
    """The recording cannot be analysed: corrupt, empty, wrong format or oversized."""


@dataclass(frozen=True)
class Audio:
    """Decoded recording: one int16 array per channel, all the same length."""

    sample_rate: int
    channels: tuple[npt.NDArray[np.int16], ...]

    @property
    def n_channels(self) -> int:
        return len(self.channels)

    @property
    def n_samples(self) -> int:
        return int(self.channels[0].shape[0])

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate

    def channel(self, index: int) -> npt.NDArray[np.int16]:
        if not 0 <= index < self.n_channels:
            raise AudioError(
                f"channel {index} does not exist: the recording has {self.n_channels} "
                f"channel(s), numbered from 0"
            )
        return self.channels[index]


def read_wav(
    source: str | Path | bytes,
    *,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    max_channels: int = 2,
) -> Audio:
    """Decode a WAV file (path) or WAV bytes; raise :class:`AudioError` for anything unusable.
    Other formats and rates: :func:`probes.analysis.decode.read_recording`."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        name = "recording"
    else:
        path = Path(source)
        name = str(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise AudioError(f"{name}: cannot read: {exc.strerror or exc}") from exc
        # Refuse before reading: an oversized upload must not be loaded into memory.
        limit = _max_bytes(max_seconds)
        if size > limit:
            raise AudioError(
                f"{name}: file too large ({size} bytes; at most {limit} bytes, "
                f"about {max_seconds:.0f} s of 16 kHz stereo)"
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AudioError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        return _decode(data, max_seconds, max_channels)
    except AudioError as exc:
        raise AudioError(f"{name}: {exc}") from None


def _max_bytes(max_seconds: float) -> int:
    # Largest accepted stream (16 kHz, stereo, 16-bit) plus room for header chunks.
    return int(max_seconds * 16000 * 2 * 2) + 65_536


def _decode(data: bytes, max_seconds: float, max_channels: int = 2) -> Audio:
    if not data:
        raise AudioError("empty file")
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError("not a WAV file (no RIFF/WAVE header)")
    fmt: tuple[int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, chunk_size = struct.unpack_from("<4sI", data, pos)
        body = pos + 8
        if chunk_id == b"fmt ":
            if chunk_size < 16 or body + chunk_size > len(data):
                raise AudioError("corrupt WAV: truncated 'fmt ' chunk")
            fmt = _parse_fmt(data[body : body + chunk_size], max_channels)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError("corrupt WAV: 'data' chunk before 'fmt ' chunk")
            available = len(data) - body
            # Streaming writers leave 0 or 0xFFFFFFFF when they could not seek back.
            if chunk_size in (0, 0xFFFFFFFF) and available > 0:
                chunk_size = available
            elif chunk_size > available:
                raise AudioError(
                    f"corrupt WAV: truncated audio (header says {chunk_size} bytes, "
                    f"{available} present)"
                )
            return _samples(data[body : body + chunk_size], fmt, max_seconds)
        pos = body + chunk_size + (chunk_size & 1)  # chunks are word-aligned
    if fmt is None:
        raise AudioError("corrupt WAV: no 'fmt ' chunk")
    raise AudioError("corrupt WAV: no 'data' chunk")


def _parse_fmt(body: bytes, max_channels: int = 2) -> tuple[int, int, int, int]:
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", body)
    if tag == _FORMAT_EXTENSIBLE:
        if len(body) < 40:
            raise AudioError("corrupt WAV: truncated WAVE_FORMAT_EXTENSIBLE header")
        sub = body[24:40]
        tag = struct.unpack_from("<H", sub)[0] if sub[2:] == _PCM_GUID_TAIL else -1
    if tag != _FORMAT_PCM:
        kind = _FORMAT_NAMES.get(tag, f"format code {tag:#06x}" if tag >= 0 else "unknown")
        raise AudioError(f"unsupported encoding {kind}: only 16-bit PCM is accepted")
    if bits != 16:
        raise AudioError(f"unsupported sample size {bits} bits: only 16-bit PCM is accepted")
    if not 1 <= channels <= max_channels:
        raise AudioError(f"unsupported channel count {channels}: mono or stereo only")
    if rate not in SUPPORTED_RATES:
        raise AudioError(f"unsupported sample rate {rate} Hz: 8000 or 16000 only")
    if block_align != channels * 2:
        raise AudioError(f"corrupt WAV: block align {block_align} for {channels} channel(s)")
    return tag, channels, rate, bits


def _samples(raw: bytes, fmt: tuple[int, int, int, int], max_seconds: float) -> Audio:
    _tag, n_channels, rate, _bits = fmt
    frame_bytes = n_channels * 2
    n_frames = len(raw) // frame_bytes
    if n_frames == 0:
        raise AudioError("empty recording (no audio samples)")
    if n_frames / rate > max_seconds:
        raise AudioError(
            f"recording too long ({n_frames / rate:.0f} s; at most {max_seconds:.0f} s)"
        )
    # A trailing partial frame is a writer's artefact of a few bytes, not audio: ignore it.
    pcm = np.frombuffer(raw, dtype="<i2", count=n_frames * n_channels)
    if n_channels == 1:
        return Audio(rate, (pcm.astype(np.int16, copy=False),))
    frames = pcm.reshape(n_frames, n_channels)
    return Audio(
        rate,
        tuple(np.ascontiguousarray(frames[:, c]).astype(np.int16) for c in range(n_channels)),
    )
