"""``audit probes score-chat TRANSCRIPT.json [--checklist ID]`` (issue 5 CLI contract).

Prints ``{"measures": …, "items": […], "verdict": "pass"|"fail"}`` as JSON and exits 0 when
scoring succeeded; an invalid transcript (or unknown checklist) exits 2 with one line on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from checklists.loader import ChecklistError
from probes.analysis.chat_scoring import DEFAULT_CHECKLIST_ID, find_checklist, score_chat
from probes.analysis.chat_transcript import TranscriptError, parse_transcript


def _fail(message: str) -> None:
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(2)


@click.command("score-chat")
@click.argument("transcript", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--checklist",
    "checklist_id",
    default=DEFAULT_CHECKLIST_ID,
    show_default=True,
    help="checklist id whose measure bindings judge the chat",
)
@click.option(
    "--sessions-per-day",
    type=click.IntRange(min=0),
    default=None,
    help="sessions a day the venue declares (> 300 allows a 60 s first response)",
)
@click.option("--taobao", is_flag=True, help="apply the 15 s first-greeting rule (seed 001)")
def score_chat_command(
    transcript: Path, checklist_id: str, sessions_per_day: int | None, taobao: bool
) -> None:
    """Score a chat transcript against the online-chat checklist."""
    try:
        raw = transcript.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{transcript}: cannot read: {exc}")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        _fail(f"{transcript}: not JSON: line {exc.lineno} column {exc.colno}: {exc.msg}")
    try:
        parsed = parse_transcript(data)
    except TranscriptError as exc:
        _fail(f"{transcript}: {exc}")
    try:
        checklist = find_checklist(checklist_id)
    except (LookupError, ChecklistError) as exc:
        _fail(f"checklist {checklist_id}: {exc}")
    result, _analysis = score_chat(
        parsed, checklist, sessions_per_day=sessions_per_day, taobao=taobao
    )
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


command = score_chat_command
