"""``audit checklists check|import|list`` (the checklist versions live in the plans domain)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from audit.cli import run_async


@click.group("checklists", help="Checklist YAML files: validate, import as versions, list.")
def group() -> None:
    pass


def _files(paths: tuple[str, ...]) -> list[Path]:
    from checklists.loader import CHECKLIST_DIR, checklist_files

    if not paths:
        return checklist_files(CHECKLIST_DIR)
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        out.extend(checklist_files(path) if path.is_dir() else [path])
    return out


@group.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
def check(paths: tuple[str, ...]) -> None:
    """Validate checklist files (default: the shipped ones); print FILE:LINE: MESSAGE for
    each problem and exit 1 if there is any. Phrase examples are checked against their
    patterns too."""
    from probes.analysis.phrases.check import check_file

    files = _files(paths)
    if not files:
        click.echo("no checklist files found", err=True)
        sys.exit(2)
    failed = 0
    for path in files:
        problems = check_file(path)
        for problem in problems:
            click.echo(str(problem))
        failed += bool(problems)
    click.echo(f"{len(files)} files checked, {failed} with problems", err=True)
    sys.exit(1 if failed else 0)


@group.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def import_files(paths: tuple[str, ...]) -> None:
    """Store checklist files as versions (unchanged content keeps its version)."""
    from audit.context import SYSTEM
    from audit.domain.plans.checklist_versions import import_checklist
    from checklists.loader import ChecklistError, load_checklist

    try:
        loaded = [(path, load_checklist(path)) for path in _files(paths)]
    except ChecklistError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)

    async def run() -> None:
        for path, checklist in loaded:
            row, created = await import_checklist(checklist, SYSTEM, source=str(path))
            state = "new version" if created else "unchanged"
            click.echo(f"{row['checklist_key']} v{row['version']} ({state}) {row['content_hash']}")

    run_async(run())


@group.command("list")
def list_versions() -> None:
    """Stored checklist versions."""
    from audit.domain.plans.checklist_versions import list_versions as stored

    for row in run_async(stored()):
        used = "used" if row["used"] else "unused"
        click.echo(
            f"{row['id']}\t{row['checklist_key']}\tv{row['version']}\t{used}\t{row['title_zh']}"
        )
