"""Recordings as people make them (issue 18 item 5): WAV at other rates, sample formats and
channel counts, MP3, M4A/AAC and AMR are decoded (ffmpeg) and resampled to 8 kHz, and judged
like the probe's own recordings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from probes.analysis.audio import AudioError, read_wav
from probes.analysis.decode import read_recording
from probes.analysis.silent_call import analyze_recording
from probes.audio import synth

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs Debian's ffmpeg")


@pytest.fixture(scope="module")
def call_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    samples, _truth = synth.silent_call([5.0, 5.0], final_wait_s=5.0)
    path = tmp_path_factory.mktemp("rec") / "call.wav"
    return synth.write_wav(path, [synth.silence(len(samples) / 8000), samples], 8000)


def _convert(src: Path, target: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(src), *args, str(target)], check=True)
    return target


@pytest.mark.parametrize(
    ("suffix", "args"),
    [
        (".wav", ("-ar", "44100")),  # a PC recorder's rate
        (".wav", ("-ar", "48000", "-c:a", "pcm_f32le")),  # float samples
        (".wav", ("-c:a", "pcm_mulaw")),  # telephony µ-law
        (".mp3", ("-ar", "22050", "-b:a", "64k")),
        (".m4a", ("-c:a", "aac", "-b:a", "64k")),
    ],
)
def test_formats_are_judged_like_the_original(
    call_wav: Path, tmp_path: Path, suffix: str, args: tuple[str, ...]
) -> None:
    original = analyze_recording(call_wav)
    converted = _convert(call_wav, tmp_path / f"call{suffix}", *args)
    with pytest.raises(AudioError):
        read_wav(converted)  # the plain reader refuses it …
    audio = read_recording(converted)  # … the decoder does not
    assert (audio.sample_rate, audio.n_channels) == (8000, 2)
    result = analyze_recording(converted)
    assert result.verdict == original.verdict == "pass"
    assert len(result.utterances) == 3
    for a, b in zip(result.pauses_s, original.pauses_s, strict=True):
        assert abs(a - b) <= 0.3  # lossy codecs smear the edges a little


def test_more_than_two_channels(call_wav: Path, tmp_path: Path) -> None:
    four = _convert(call_wav, tmp_path / "four.wav", "-af", "pan=4c|c0=c0|c1=c1|c2=c0|c3=c0")
    result = analyze_recording(four)  # the loudest channel is the agent's
    assert result.verdict == "pass" and len(result.utterances) == 3


def test_amr_from_a_phone_recorder(tmp_path: Path) -> None:
    # AMR-NB storage format (RFC 4867 §5): the magic, then 20 ms frames; header 0x04 is a
    # 4.75 kbit/s frame of 12 bytes (no encoder ships with Debian's ffmpeg, so we write it).
    amr = tmp_path / "phone.amr"
    amr.write_bytes(b"#!AMR\n" + (b"\x04" + b"\x00" * 12) * 250)
    audio = read_recording(amr)
    assert audio.sample_rate == 8000 and abs(audio.duration_s - 5.0) < 0.1


def test_undecodable_bytes_are_named(tmp_path: Path) -> None:
    junk = tmp_path / "notes.mp3"
    junk.write_bytes(b"ID3\x03\x00 not really an mp3 at all" * 4)
    with pytest.raises(
        AudioError, match=r"notes\.mp3: not a WAV file .*, nor a recording ffmpeg can decode"
    ):
        read_recording(junk)
    # Corrupt WAVs stay errors of their own (no second guess by another decoder).
    with pytest.raises(AudioError, match="truncated"):
        read_recording(
            b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"
            b"\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x10\x00\x00\x00\x00"
        )
