"""The ``audit`` command: Litestar's own CLI (``audit run``…) plus our groups.

Domains add groups in ``audit/domain/<name>/cli.py`` (``group``), discovered by name.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click
from litestar.cli._utils import LitestarExtensionGroup
from litestar.cli.main import litestar_group

from audit.domain.accounts.roles import ROLES
from audit.domains import domain_modules
from audit.errors import ConfigError

APP_PATH = "audit.asgi:create_app"


def run_async(coro: Any) -> Any:
    return asyncio.run(coro)


def database_ready() -> None:
    """Before a command touches the database: the settings load and the database answers
    (ConfigError, printed as one line by ``main``, otherwise)."""
    from audit import dbcheck
    from audit.settings import load_settings

    run_async(dbcheck.check(load_settings().database_url))


@click.group("db", help="Database: migrations and status.")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Apply every pending migration (SQLite or PostgreSQL).")
def db_upgrade() -> None:
    from audit import db, dbcheck
    from audit.settings import get_settings

    database_ready()
    run_async(db.migrate())
    pending = run_async(db.pending_migrations())
    where = dbcheck.safe_url(get_settings().database_url)
    click.echo(f"database {where}: migrations current" if not pending else f"pending: {pending}")
    if pending:
        sys.exit(1)


@db_group.command("status", help="List migrations that have not run.")
def db_status() -> None:
    from audit import db

    database_ready()
    pending = run_async(db.pending_migrations())
    click.echo("current" if not pending else "\n".join(pending))
    sys.exit(1 if pending else 0)


@click.group("users", help="User accounts.")
def users_group() -> None:
    pass


@users_group.command("create")
@click.option("--username", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(list(ROLES)),
)
@click.option("--operator-id", type=int, default=None, help="for operator users: their operator")
@click.option("--display-name", default="")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="AUDIT_NEW_USER_PASSWORD",
    help="prompted when not given (or AUDIT_NEW_USER_PASSWORD)",
)
def users_create(
    username: str, role: str, operator_id: int | None, display_name: str, password: str
) -> None:
    """Create a user, e.g. the first admin: audit users create --username root --role admin."""
    from pydantic import ValidationError

    from audit.context import SYSTEM
    from audit.domain.accounts.schemas import UserCreate
    from audit.domain.accounts.services import create_user
    from audit.errors import DomainError

    database_ready()
    try:
        data = UserCreate(
            username=username,
            password=password,
            role=role,  # type: ignore[arg-type]
            operator_id=operator_id,
            display_name=display_name,
        )
        user = run_async(create_user(data, SYSTEM))
    except ValidationError as exc:
        for err in exc.errors():
            click.echo(f"error: {'.'.join(map(str, err['loc']))}: {err['msg']}", err=True)
        sys.exit(2)
    except DomainError as exc:
        click.echo(f"error: {exc.field or 'user'}: {exc.message}", err=True)
        sys.exit(2)
    click.echo(f"created user {user['username']} (id {user['id']}, role {user['role']})")


@click.command("demo-data", help="Load the demo operators, venues and users (idempotent).")
def demo_data() -> None:
    from audit.asgi import create_app
    from audit.demo import load_demo_data

    database_ready()
    run_async(load_demo_data(create_app()))


def _probes_group() -> click.Group:
    """Analysis commands of the ``probes`` package (no database), for hand-recorded calls/chats."""
    from probes.cli_chat import score_chat_command as score_chat
    from probes.cli_voice import analyze, score_greeting

    group = click.Group("probes", help="Probe calls and chats: analyse recordings and transcripts.")
    for command in (analyze, score_greeting, score_chat):
        group.add_command(command)
    return group


def _add(parent: click.Group, command: click.Command) -> None:
    # Two sources may contribute to one group (e.g. `probes`): merge instead of replacing.
    existing = parent.commands.get(command.name or "")
    if isinstance(existing, click.Group) and isinstance(command, click.Group):
        for sub in command.commands.values():
            existing.add_command(sub)
    else:
        parent.add_command(command)


class AuditGroup(LitestarExtensionGroup):
    """Litestar's CLI group, minus its eager app loading (done only for Litestar CLI plugins,
    which we don't use): `audit probes analyze` must not need the web app to import."""

    def _prepare(self, ctx: click.Context) -> None:
        self._prepare_done = True


def _checked_run(run: click.Command) -> click.Command:
    """Litestar's ``run`` behind our start-up checks (audit/preflight.py)."""
    original: Callable[..., Any] = run.callback  # type: ignore[assignment]

    @functools.wraps(original)
    def callback(*args: Any, **kwargs: Any) -> Any:
        from audit import preflight

        preflight.before_run(kwargs["host"], kwargs["port"], kwargs["fd"], kwargs["uds"])
        return original(*args, **kwargs)

    checked = copy.copy(run)
    checked.callback = callback
    return checked


def build_cli() -> click.Group:
    group = AuditGroup(
        name="audit",
        callback=litestar_group.callback,  # loads the app lazily, for the commands that need it
        params=list(litestar_group.params),
        help="Service Quality Audit: the web app (audit run) and its tools.",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for command in litestar_group.commands.values():
        if command.name == "run":
            command = _checked_run(command)
        group.add_command(command)  # type: ignore[arg-type]
    from audit.jobs.cli import COMMANDS as JOB_COMMANDS  # audit worker, audit scheduler

    for command in (db_group, users_group, demo_data, _probes_group(), *JOB_COMMANDS):
        _add(group, command)
    for _, module in domain_modules("cli"):
        extra = getattr(module, "group", None)
        if extra is not None:
            _add(group, extra)
    return group


def main() -> None:
    os.environ.setdefault("LITESTAR_APP", APP_PATH)
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default and rewrites the client
    # address before we see it; AUDIT_TRUSTED_PROXIES is the one list of trusted proxies
    # (audit/domain/accounts/clientaddr.py), so uvicorn trusts none unless told otherwise.
    os.environ.setdefault("FORWARDED_ALLOW_IPS", "")
    from pydantic import ValidationError

    from audit.settings import config_error

    try:
        try:
            build_cli()(prog_name="audit")
        except ValidationError as exc:
            if not exc.title.endswith("Settings"):  # AUDIT_* settings classes
                raise
            raise config_error(exc) from None
    except ConfigError as exc:
        # one line naming the setting and the cause: no traceback, never a password
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
