"""Reading recordings: mono/stereo, 8/16 kHz PCM; clear errors for everything else."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from probes.analysis.audio import Audio, AudioError, read_wav
from probes.audio.synth import write_wav


def _wav(
    payload: bytes,
    *,
    tag: int = 1,
    channels: int = 1,
    rate: int = 8000,
    bits: int = 16,
    data_size: int | None = None,
    extensible_subtype: int | None = None,
) -> bytes:
    align = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    if extensible_subtype is not None:
        guid = struct.pack("<H", extensible_subtype) + bytes.fromhex("000000001000800000aa00389b71")
        fmt += struct.pack("<HHI", 22, bits, 0) + guid
    size = len(payload) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", size) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_mono_8k_round_trip(tmp_path: Path) -> None:
    samples = np.array([0, 1000, -1000, 32767, -32768], dtype=np.int16)
    audio = read_wav(write_wav(tmp_path / "m.wav", [samples], 8000))
    assert audio.sample_rate == 8000 and audio.n_channels == 1
    assert np.array_equal(audio.channels[0], samples)


def test_stereo_16k_keeps_channels_apart(tmp_path: Path) -> None:
    left = np.arange(0, 800, dtype=np.int16)
    right = -np.arange(0, 800, dtype=np.int16)
    audio = read_wav(write_wav(tmp_path / "s.wav", [left, right], 16000))
    assert audio.sample_rate == 16000 and audio.n_channels == 2
    assert np.array_equal(audio.channel(0), left)
    assert np.array_equal(audio.channel(1), right)
    assert audio.duration_s == pytest.approx(0.05)


def test_bytes_input_and_extensible_header() -> None:
    samples = np.array([5, -5, 7], dtype="<i2")
    data = _wav(samples.tobytes(), tag=0xFFFE, extensible_subtype=1)
    audio = read_wav(data)
    assert isinstance(audio, Audio)
    assert audio.channels[0].tolist() == [5, -5, 7]


def test_streaming_placeholder_size_reads_to_end() -> None:
    samples = np.array([1, 2, 3, 4], dtype="<i2")
    audio = read_wav(_wav(samples.tobytes(), data_size=0xFFFFFFFF))
    assert audio.channels[0].tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"ID3\x03\x00 this is an mp3", "not a WAV file"),
        (_wav(b"\x00\x01" * 10, tag=7), "µ-law"),
        (_wav(b"\x00" * 10, tag=3, bits=32), "IEEE float"),
        (_wav(b"\x00" * 10, extensible_subtype=3, tag=0xFFFE, bits=32), "unsupported encoding"),
        (_wav(b"\x80" * 10, bits=8), "8 bits"),
        (_wav(b"\x00" * 12, channels=3), "channel count 3"),
        (_wav(b"\x00" * 10, rate=44100), "44100 Hz"),
        (_wav(b"\x00" * 10, data_size=5000), "truncated audio"),
        (_wav(b""), "no audio samples"),
        (b"RIFF\x04\x00\x00\x00WAVE", "no 'fmt ' chunk"),
        (b"RIFF\x10\x00\x00\x00WAVEdata\x02\x00\x00\x00\x00\x00", "before 'fmt ' chunk"),
    ],
)
def test_unusable_input_is_named(data: bytes, message: str) -> None:
    with pytest.raises(AudioError, match=message):
        read_wav(data)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match=r"nothere\.wav: cannot read"):
        read_wav(tmp_path / "nothere.wav")


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "long.wav", [np.zeros(8000 * 30, dtype=np.int16)], 8000)
    with pytest.raises(AudioError, match="file too large"):
        read_wav(path, max_seconds=1.0)


def test_too_long_recording_is_refused() -> None:
    data = _wav(np.zeros(8000 * 3, dtype="<i2").tobytes())
    with pytest.raises(AudioError, match=r"too long \(3 s; at most 2 s\)"):
        read_wav(data, max_seconds=2.0)


def test_unknown_channel_is_an_audio_error(tmp_path: Path) -> None:
    audio = read_wav(write_wav(tmp_path / "m.wav", [np.zeros(80, dtype=np.int16)], 8000))
    with pytest.raises(AudioError, match="channel 1 does not exist"):
        audio.channel(1)
