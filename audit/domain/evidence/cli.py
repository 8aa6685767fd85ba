"""``audit evidence verify``: re-hash every stored evidence file and report tampering."""

from __future__ import annotations

import sys

import click

from audit.cli import run_async


@click.group("evidence", help="Evidence files: integrity checks.")
def group() -> None:
    pass


@group.command("verify", help="Re-hash every evidence file; exit 1 if any is tampered or missing.")
def verify() -> None:
    from audit.domain.evidence.services import verify_all

    results = run_async(verify_all())
    bad = [r for r in results if r["status"] != "ok"]
    for r in bad:
        click.echo(f"evidence {r['id']}: {r['status']} (recorded {r['sha256']})", err=True)
    click.echo(f"{len(results)} evidence files checked, {len(bad)} problems")
    sys.exit(1 if bad else 0)
