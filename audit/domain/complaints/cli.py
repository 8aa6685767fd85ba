"""``audit complaints``: import a CSV, print the triggers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from audit.cli import run_async


@click.group(
    "complaints", help="Complaints and the complaint-threshold trigger (seed 004 Art. 10)."
)
def group() -> None:
    pass


@group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="column-mapping YAML for a non-canonical layout")  # fmt: skip
@click.option("--source", default=None, help="source name (external ids are unique per source)")
@click.option("--create-operators", is_flag=True, help="create unknown operators (logged)")
@click.option("--allow-unknown-regions", is_flag=True,
              help="keep regions outside GB/T 2260 as free-text keys (flagged unresolved)")  # fmt: skip
@click.option("--allow-unknown-issues", is_flag=True,
              help="keep issues outside the taxonomy as given (flagged unmapped)")  # fmt: skip
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="where the rejects CSV and summary go (default: beside the input)")  # fmt: skip
@click.option("--followups/--no-followups", default=True,
              help="draft the self-inspection order and targeted plan of each new trigger")  # fmt: skip
def import_cmd(
    csv_file: Path,
    mapping: Path | None,
    source: str | None,
    create_operators: bool,
    allow_unknown_regions: bool,
    allow_unknown_issues: bool,
    out_dir: Path | None,
    followups: bool,
) -> None:
    """Import complaints; idempotent on (source, external_id). Exit 1 when rows were rejected."""
    from audit.context import SYSTEM
    from audit.domain.complaints import followup, services
    from audit.domain.complaints.csvparse import CsvLayoutError, ParseOptions, parse_rows
    from audit.domain.complaints.importer import (
        ImportOptions,
        import_records,
    )
    from audit.domain.complaints.rejects import output_paths, write_rejects, write_summary
    from audit.domain.complaints.taxonomy import DataFileError
    from audit.settings import get_settings

    try:
        m = services.mapping_for(mapping, source)
    except DataFileError as exc:
        click.echo(f"error: mapping: {exc}", err=True)
        sys.exit(2)
    opts = ImportOptions(m.source, create_operators, allow_unknown_regions, allow_unknown_issues)
    popts = ParseOptions(get_settings().timezone, allow_unknown_issues)

    async def run() -> dict:
        from audit import db

        await db.start()
        try:
            # Streamed: parsed and checked rows go to the database as the file is read.
            with open(csv_file, "rb") as fh:
                report = await import_records(parse_rows(fh, m, popts), opts, SYSTEM)
            if followups:
                await followup.create_for(report.triggers.created, SYSTEM)
        finally:
            await db.stop()
        rejects_path, summary_path = output_paths(csv_file, out_dir)
        summary = report.summary()
        summary["file"] = str(csv_file)
        summary["mapping"] = m.name
        if report.rejected:
            write_rejects(csv_file, m, report.rejected, rejects_path)
            summary["rejects_file"] = str(rejects_path)
        write_summary(summary, summary_path)
        for err in report.rejected:
            click.echo(f"rejected {err}", err=True)
        return summary

    try:
        summary = run_async(run())
    except CsvLayoutError as exc:
        click.echo(f"error: {csv_file}: {exc}", err=True)
        sys.exit(2)
    click.echo(json.dumps(summary, ensure_ascii=False))
    sys.exit(1 if summary["rejected"] else 0)


@group.command("triggers")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@click.option("--include-superseded", is_flag=True)
def triggers_cmd(fmt: str, include_superseded: bool) -> None:
    """Print every trigger: {"operator","region","issue","fired_on","complaints"}."""
    from audit.domain.complaints.services import export_triggers

    async def run() -> list[dict]:
        from audit import db

        await db.start()
        try:
            return await export_triggers(include_superseded)
        finally:
            await db.stop()

    rows = run_async(run())
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        click.echo(f"{r['fired_on']}  {r['operator']}  {r['region']}  {r['issue']}  "
                   f"{len(r['complaints'])}: {' '.join(r['complaints'])}")  # fmt: skip


@group.command("followups")
@click.option("--limit", type=int, default=1000, show_default=True)
def followups_cmd(limit: int) -> None:
    """Draft the order and plan of pending triggers (after --no-followups or a crash; the
    server's sweep does the same at start-up and periodically)."""
    from audit.context import SYSTEM
    from audit.domain.complaints import followup

    async def run() -> int:
        from audit import db

        await db.start()
        try:
            return await followup.create_for(await followup.pending(limit), SYSTEM)
        finally:
            await db.stop()

    click.echo(f"follow-ups drafted for {run_async(run())} trigger(s)")
