"""Voice analysers on the command line (mounted as ``audit probes analyze|score-greeting``).

For auditors who recorded a call by hand, and for our own checks. Both commands print one
JSON object (issue 4 contracts) and exit 0 whenever the analysis ran, pass or fail; unusable
input gives exit status 1 and a one-line ``Error: ...`` on stderr.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from checklists.loader import ChecklistError
from probes.analysis import greeting as rules
from probes.analysis.audio import AudioError
from probes.analysis.checklist_source import HOTLINE_ID, checklist_arg
from probes.analysis.holiday_calendar import CalendarError, load_overrides
from probes.analysis.silent_call import ParamError, SilentCallParams, analyze_recording


def _print_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


def _parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.ClickException(f"--param {pair!r}: expected KEY=VALUE")
        try:
            params[key.strip()] = json.loads(value)
        except ValueError:
            params[key.strip()] = value  # plain text, e.g. a closing phrase
    return params


@click.command("analyze")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--protocol",
    type=click.Choice(["silent-call"]),
    default="silent-call",
    show_default=True,
    help="What to judge in the recording.",
)
@click.option(
    "--channel",
    type=int,
    default=None,
    help="Channel to analyse, 0 = first (left). Default: the channel with more speech "
    "(the probe's own side is silent).",
)
@click.option(
    "--param",
    "param_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Protocol parameter (repeatable): repetitions, pause_min_s, pause_max_s, "
    "final_wait_min_s, min_silence_s. Seed 002's house rule: --param repetitions=2.",
)
@click.option(
    "--start",
    "start_s",
    type=float,
    default=None,
    help="Ignore sound before this second (an IVR menu). Default: on a stereo recording, "
    "after the last DTMF digit heard on the probe's channel; else 0.",
)
def analyze(
    file: Path,
    protocol: str,
    channel: int | None,
    param_pairs: tuple[str, ...],
    start_s: float | None,
) -> None:
    """Judge a mono or stereo 8/16 kHz PCM WAV recording of a probe call."""
    try:
        params = SilentCallParams.from_params(_parse_params(param_pairs))
        result = analyze_recording(file, params, channel=channel, start_s=start_s)
    except (AudioError, ParamError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_json(result.to_json())


@click.command("score-greeting")
@click.option("--text", required=True, help="The agent's greeting (transcript).")
@click.option("--at", "at_text", required=True, help="When it was said, ISO 8601.")
@click.option("--company", default=None, help="Company name the greeting must contain.")
@click.option(
    "--answered-after",
    type=float,
    default=None,
    help="Seconds from ringing to answer; after three rings an apology is required.",
)
@click.option(
    "--checklist",
    "checklist_ref",
    default=HOTLINE_ID,
    show_default=True,
    help="Checklist whose phrases and parameters judge the greeting: a shipped checklist's "
    "id or a YAML file.",
)
@click.option(
    "--timezone",
    default=None,
    envvar="AUDIT_TIMEZONE",
    help="Zone the rules are judged in (naive --at times are taken to be in it). "
    "Default: the checklist's (Asia/Shanghai).",
)
@click.option(
    "--holiday-overrides",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML/JSON of date: festival key or null, correcting the holiday calendar.",
)
def score_greeting(
    text: str,
    at_text: str,
    company: str | None,
    answered_after: float | None,
    checklist_ref: str,
    timezone: str | None,
    holiday_overrides: Path | None,
) -> None:
    """Score a greeting transcript against a hotline checklist (default: the shipped one)."""
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError as exc:
        raise click.ClickException(f"--at: not an ISO 8601 time: {at_text!r}") from exc
    try:
        greeting_rules = rules.GreetingRules.from_checklist(checklist_arg(checklist_ref))
    except (ChecklistError, LookupError, rules.GreetingError) as exc:
        raise click.ClickException(f"--checklist: {exc}") from exc
    try:
        overrides = load_overrides(holiday_overrides) if holiday_overrides else None
        result = rules.score_greeting(
            text,
            at,
            company=company,
            answered_after_s=answered_after,
            rules=greeting_rules,
            timezone=timezone,
            holiday_overrides=overrides,
        )
    except (rules.GreetingError, CalendarError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_json(result.to_json())


voice = click.Group("voice", commands=[analyze, score_greeting], help="Voice analysers.")
