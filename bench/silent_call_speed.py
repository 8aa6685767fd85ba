"""Silent-call analysis speed on 8 kHz audio, end to end, on one core (issue 4: >= 1,000x).

End to end = read the WAV file + voice activity (webrtcvad, tonal check, level gate, merging)
+ verdict. Reference, measured in the same run on the same file: plain webrtcvad frame
classification of the callee channel (no reading, no merging). Prints both as multiples of
real time and their ratio.

    .venv/bin/python bench/silent_call_speed.py [--seconds 60] [--repeat 30]
"""

from __future__ import annotations

import os

# One core: pin the process and keep numerical libraries single-threaded.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from probes.analysis.audio import read_wav  # noqa: E402
from probes.analysis.silent_call import analyze_recording  # noqa: E402
from probes.analysis.vad import webrtc_flags  # noqa: E402
from probes.audio import synth  # noqa: E402

RATE = 8000


def make_call(path: Path, seconds: float) -> None:
    """A stereo probe call: silent caller; agent greets three times over background chatter."""
    clips = [synth.render(t, rate=RATE) for t in synth.SILENT_CALL_GREETINGS]
    spoken = 2.0 + sum(len(c) for c in clips) / RATE + 10.0
    callee, _ = synth.build_call(
        clips, (5.0, 5.0), lead_in_s=2.0, final_wait_s=max(seconds - spoken, 5.0), rate=RATE
    )
    length = len(callee) / RATE
    callee = synth.mix_under(callee, synth.chatter(length, RATE, seed=1), -15.0, RATE)
    synth.write_wav(path, [synth.silence(length, RATE), callee], RATE)


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    fn()  # warm up (imports, caches)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the test call")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "call.wav"
        make_call(path, args.seconds)
        audio = read_wav(path)
        callee = audio.channel(1)
        duration = audio.duration_s

        result = analyze_recording(path, channel=1)
        end_to_end = best_of(args.repeat, lambda: analyze_recording(path, channel=1))
        plain = best_of(args.repeat, lambda: webrtc_flags(callee, RATE, mode=3))

    print(f"audio: {duration:.1f} s, 8 kHz stereo, agent over chatter at -15 dB")
    print(
        f"verdict: {result.verdict}, utterances: {len(result.utterances)}, "
        f"pauses: {list(result.pauses_s)}"
    )
    print(
        f"end to end (read + VAD + verdict): {end_to_end * 1000:.2f} ms "
        f"= {duration / end_to_end:,.0f}x real time (target >= 1,000x)"
    )
    print(
        f"plain webrtcvad frame classification: {plain * 1000:.2f} ms "
        f"= {duration / plain:,.0f}x real time"
    )
    print(f"ratio end to end / plain webrtcvad: {end_to_end / plain:.2f}")


if __name__ == "__main__":
    main()
