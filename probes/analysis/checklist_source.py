"""Where the judges get their rules: a checklist (a pinned version, a file, or a shipped id).

The shipped checklists are the defaults: `hotline` for voice greetings and silent calls,
`online-chat` for chats. Judges never re-declare their phrases; a judge called without a
checklist uses the shipped one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from checklists.loader import (
    CHECKLIST_DIR,
    ChecklistError,
    checklist_files,
    load_checklist,
    validate_file,
)
from checklists.schema import Checklist

HOTLINE_ID = "hotline"
CHAT_ID = "online-chat"


def find_checklist(checklist_id: str, directory: str | Path = CHECKLIST_DIR) -> Checklist:
    """The checklist file with this id; errors in other files do not stop the search."""
    problems = []
    for path in checklist_files(directory):
        cl, file_problems = validate_file(path)
        if cl is not None and cl.id == checklist_id:
            return cl
        if cl is None:
            problems.extend(file_problems)
    if problems:
        raise ChecklistError(problems)
    raise LookupError(f"no checklist with id {checklist_id!r} in {directory}")


@lru_cache(maxsize=16)
def shipped(checklist_id: str) -> Checklist:
    """A shipped checklist by id, parsed once."""
    return find_checklist(checklist_id)


def checklist_arg(value: str) -> Checklist:
    """A checklist given on a command line: a YAML file path or a shipped checklist's id."""
    path = Path(value)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_checklist(path)
    return shipped(value)
