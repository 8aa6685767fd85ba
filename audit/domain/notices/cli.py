"""``audit notices verify FILE.pdf`` and ``audit notices demo --out DIR``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from audit.cli import run_async


@click.group("notices", help="Signed PDF notices: verify a file, render demo notices.")
def group() -> None:
    pass


@group.command("verify", help="Verify a notice PDF; exit 0 only when it is authentic.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def verify_cmd(file: Path) -> None:
    from audit import db
    from audit.domain.notices.registry import verify_file

    try:
        data = file.read_bytes()
    except OSError as exc:
        click.echo(f"{file}: cannot read ({exc.strerror})", err=True)
        sys.exit(2)

    async def run() -> dict[str, object]:
        await db.start()
        try:
            return (await verify_file(data)).public()
        finally:
            await db.stop()

    try:
        answer = run_async(run())
    except Exception as exc:  # database missing or not migrated: say so, no traceback
        click.echo(
            f"registry unavailable ({type(exc).__name__}: {exc}); "
            "check AUDIT_DATABASE_URL and run `audit db upgrade`",
            err=True,
        )
        sys.exit(2)
    click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    sys.exit(0 if answer["status"] == "authentic" else 1)


@group.command("demo", help="Render and sign one notice of each type with the current key.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="directory for the PDFs",
)
def demo_cmd(out_dir: Path) -> None:
    from audit.domain.notices import config
    from audit.notices import demo
    from audit.notices.models import NoticeType, format_number
    from audit.notices.render import render_notice
    from audit.notices.sign import SigningKeyError
    from audit.settings import get_settings

    settings = get_settings()
    try:
        signer = config.get_signer(settings)
    except SigningKeyError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    out_dir.mkdir(parents=True, exist_ok=True)
    for i, ntype in enumerate(NoticeType, 1):
        meta = demo.demo_meta(
            ntype,
            number=format_number(ntype, 2026, i),
            token=f"demo-{ntype.value}",
            base_url=settings.public_base_url,
            test_key=signer.is_test,
        ).model_copy(
            update={"authority": settings.authority_name, "letterhead": settings.authority_name}
        )
        rendered = render_notice(ntype, meta, demo.demo_content(ntype))
        pdf = signer.sign(
            rendered.pdf,
            rendered.sig_page,
            rendered.sig_box,
            reason=meta.number,
            location=meta.authority,
            zone=settings.zone,
        )
        path = out_dir / f"{ntype.value}.pdf"
        path.write_bytes(pdf)
        click.echo(f"{path}  {rendered.pages} page(s)  {signer.level}  {meta.number}")
    if signer.is_test:
        click.echo("signed with the development key: TEST — not valid for enforcement")
