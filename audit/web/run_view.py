"""What a probe run's page shows, in words: the silent-call and greeting reasons, the
transcript with the matched phrases marked, chat waits, and the call's picture (decoded from
the stored recording). Presentation only; the verdicts come from the analysers' output."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from audit.web.charts.waveform import Bounds, envelope, waveform_svg
from audit.web.i18n import N_, gettext

ELEMENT_WORDS = {
    "salutation": N_("a salutation (您好)"),
    "company": N_("the company's name"),
    "offer_of_help": N_("an offer of help"),
    "time_of_day": N_("the right time-of-day greeting"),
    "holiday": N_("the festival greeting"),
    "apology_for_wait": N_("an apology for the wait"),
}


def silent_reasons(silent: Mapping[str, Any], measures: Mapping[str, Any], b: Bounds) -> list[str]:
    """The silent-call verdict's reasons as sentences (the rule's figures in them)."""
    judged = measures.get("silent_call") or {}
    words = []
    utterances = len(silent.get("utterances") or [])
    for code in judged.get("reasons") or silent.get("reasons") or []:
        if code == "too_few_repetitions":
            words.append(gettext(
                "The agent greeted %(n)s times; the rule asks for %(required)s.",
                n=utterances, required=b.repetitions))  # fmt: skip
        elif code == "pause_too_short":
            words.append(
                gettext("A pause between greetings was shorter than %(min)s s.", min=b.pause_min_s)
            )
        elif code == "pause_too_long":
            words.append(
                gettext("A pause between greetings was longer than %(max)s s.", max=b.pause_max_s)
            )
        elif code == "hung_up_too_soon":
            words.append(gettext(
                "The agent hung up %(wait)s s after the last greeting; the rule asks for a "
                "wait of at least %(min)s s.",
                wait=silent.get("final_wait_s"), min=b.final_wait_min_s))  # fmt: skip
        elif code == "listening_too_short":
            words.append(gettext(
                "The probe stopped listening while the agent was still inside the protocol: "
                "no verdict either way."))  # fmt: skip
        else:
            words.append(code)
    if not words and judged.get("verdict") == "pass":
        words.append(gettext(
            "%(n)s greetings, every pause between %(min)s and %(max)s s, and a final wait of "
            "%(wait)s s (at least %(need)s s).",
            n=utterances, min=b.pause_min_s, max=b.pause_max_s,
            wait=silent.get("final_wait_s"), need=b.final_wait_min_s))  # fmt: skip
    return words


def greeting_reasons(greeting: Mapping[str, Any]) -> list[str]:
    words = []
    for name, label in ELEMENT_WORDS.items():
        if greeting.get(name) is False:
            words.append(gettext("Missing: %(what)s.", what=gettext(label)))
    for phrase in greeting.get("forbidden_phrases") or []:
        words.append(gettext("Forbidden phrase heard: “%(p)s”.", p=phrase))
    if not words and greeting.get("verdict") == "pass":
        words.append(gettext("Every required element was heard."))
    return words


def marked(text: str, matches: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``text`` cut into pieces, the matched spans flagged (overlaps merged, in order)."""
    spans = sorted(
        (int(m["start"]), int(m["end"]), str(m.get("element", "")))
        for m in matches
        if 0 <= int(m["start"]) < int(m["end"]) <= len(text)
    )
    pieces: list[dict[str, Any]] = []
    at = 0
    for start, end, element in spans:
        if end <= at:
            continue
        start = max(start, at)
        if start > at:
            pieces.append({"text": text[at:start], "element": None})
        pieces.append({"text": text[start:end], "element": element or "match"})
        at = end
    if at < len(text):
        pieces.append({"text": text[at:], "element": None})
    return pieces


def lines_marked(
    lines: Sequence[Mapping[str, Any]], matches: Sequence[Mapping[str, Any]], key: str = "text"
) -> list[dict[str, Any]]:
    """Each transcript line (or chat message) with its own matches marked (``segment`` =
    the line's index)."""
    out = []
    for i, line in enumerate(lines):
        own = [m for m in matches if int(m.get("segment", -1)) == i]
        out.append({**line, "pieces": marked(str(line.get(key) or ""), own)})
    return out


def bounds_of(params: Mapping[str, Any]) -> Bounds:
    from probes.analysis.silent_call import SilentCallParams

    p = SilentCallParams.from_params(params, strict=False)
    return Bounds(p.pause_min_s, p.pause_max_s, p.final_wait_min_s, p.repetitions)


def _peaks(path: Any, channel: int | None) -> tuple[list[float], float]:
    from probes.analysis.decode import read_recording
    from probes.analysis.silent_call import callee_channel

    audio = read_recording(path)
    index = callee_channel(audio) if channel is None else channel
    samples = audio.channel(index)
    return envelope(samples), len(samples) / audio.sample_rate


async def call_picture(run: Mapping[str, Any], protocol: Mapping[str, Any]) -> Markup | None:
    """The waveform SVG of a call's recording (None when there is no analysed recording)."""
    from audit.domain.evidence.services import blob_file

    observations = run.get("observations") or {}
    silent = observations.get("silent_call")
    recordings = [e for e in run.get("evidence") or [] if e["kind"] == "recording"]
    if not silent or not recordings:
        return None
    upload = observations.get("upload") or {}
    try:
        peaks, duration = await asyncio.to_thread(
            _peaks, blob_file(recordings[0]), upload.get("channel")
        )
    except Exception:  # a missing or unreadable file: the page still shows the figures
        peaks, duration = [], float(silent.get("duration_s") or 0)
    n = len(silent.get("utterances") or [])
    labels = {
        "title": gettext("The callee's channel of the call"),
        "desc": gettext(
            "%(n)s utterances detected in %(s)s seconds; the verdict is %(v)s.",
            n=n,
            s=round(duration, 1),
            v=(silent.get("verdict") or "-"),
        ),
        "utterance": gettext("greeting"),
        "pause": gettext("pause"),
        "final_wait": gettext("final wait"),
        "allowed": gettext("the next greeting may start in this window"),
        "not_judged": gettext("before the IVR offset: not judged"),
        "seconds": gettext("s"),
    }
    return waveform_svg(
        peaks, duration, silent, bounds_of(protocol), labels,
        start_s=float(upload.get("start_s") or 0),
    )  # fmt: skip
