"""Recordings as people make them: WAV at any rate, sample format and channel count, MP3,
M4A/AAC, AMR (phone recorders), decoded and resampled to the analysers' 8 kHz 16-bit PCM.

A 16-bit PCM WAV at 8 or 16 kHz is read directly (:func:`probes.analysis.audio.read_wav`);
anything else goes through Debian's ``ffmpeg`` (installed by scripts/bootstrap.sh), which
keeps the channels (so the callee channel of a dual recording is still found). Every failure
is an :class:`~probes.analysis.audio.AudioError` saying what is wrong.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from probes.analysis.audio import DEFAULT_MAX_SECONDS, Audio, AudioError, read_wav

TARGET_RATE = 8000
MAX_CHANNELS = 8
# A compressed upload can hold hours in a few MB: what is decoded is capped by duration.
MAX_INPUT_BYTES = 200 * 1024 * 1024
_DECODE_TIMEOUT_S = 120
# read_wav's refusals that another decoder may overcome (not corruption).
_CONVERTIBLE = ("not a WAV file", "unsupported")


def read_recording(
    source: str | Path | bytes, *, max_seconds: float = DEFAULT_MAX_SECONDS
) -> Audio:
    """Decode a recording (path or bytes) of any common format."""
    try:
        return read_wav(source, max_seconds=max_seconds)
    except AudioError as exc:
        if not any(reason in str(exc) for reason in _CONVERTIBLE):
            raise
        first = exc
    if isinstance(source, bytes | bytearray):
        if len(source) > MAX_INPUT_BYTES:
            raise AudioError(f"recording: file too large (at most {MAX_INPUT_BYTES} bytes)")
        # MP4/M4A keep their index at the end: the decoder needs a file it can seek in.
        with tempfile.NamedTemporaryFile(suffix=".rec") as tmp:
            tmp.write(source)
            tmp.flush()
            wav = _ffmpeg(Path(tmp.name), "recording", max_seconds, first)
        name = "recording"
    else:
        name = str(source)
        try:
            size = Path(source).stat().st_size
        except OSError as exc:
            raise AudioError(f"{name}: cannot read: {exc.strerror or exc}") from exc
        if size > MAX_INPUT_BYTES:
            raise AudioError(f"{name}: file too large (at most {MAX_INPUT_BYTES} bytes)")
        wav = _ffmpeg(Path(source), name, max_seconds, first)
    try:
        return read_wav(wav, max_seconds=max_seconds, max_channels=MAX_CHANNELS)
    except AudioError as exc:
        raise AudioError(f"{name}: {exc}") from None


def _ffmpeg(path: Path, name: str, max_seconds: float, first: AudioError) -> bytes:
    binary = shutil.which("ffmpeg")
    if binary is None:
        raise AudioError(f"{first} (other formats need ffmpeg, which is not installed)")
    command = [
        binary, "-hide_banner", "-nostdin", "-v", "error", "-i", str(path),
        "-t", str(max_seconds + 1), "-vn", "-acodec", "pcm_s16le", "-ar", str(TARGET_RATE),
        "-f", "wav", "pipe:1",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=_DECODE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise AudioError(f"{name}: decoding took longer than {_DECODE_TIMEOUT_S} s") from None
    if done.returncode != 0 or not done.stdout:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else f"ffmpeg exit status {done.returncode}"
        detail = detail.replace(str(path), "input")
        raise AudioError(f"{first}, nor a recording ffmpeg can decode ({detail})")
    return done.stdout
