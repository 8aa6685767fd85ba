"""The ``audit`` command: db upgrade, users create (validation errors name the field)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

AUDIT = [sys.executable, "-m", "audit"]


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        AUDIT + args, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def test_db_upgrade_migrates_a_fresh_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    first = _run(["db", "upgrade"], {"AUDIT_DATABASE_URL": url})
    assert first.returncode == 0, first.stderr
    assert "migrations current" in first.stdout
    assert _run(["db", "status"], {"AUDIT_DATABASE_URL": url}).returncode == 0


def test_db_upgrade_on_the_test_database_is_a_no_op(db: str) -> None:
    r = _run(["db", "upgrade"])
    assert r.returncode == 0, r.stderr
    assert "migrations current" in r.stdout


async def test_users_create_first_admin_and_bad_input(db: str) -> None:
    from audit.domain.accounts.services import authenticate

    ok = _run(
        ["users", "create", "--username", "root", "--role", "admin"],
        {"AUDIT_NEW_USER_PASSWORD": "a-long-password"},
    )
    assert ok.returncode == 0, ok.stderr
    assert "created user root" in ok.stdout
    user = await authenticate("root", "a-long-password")
    assert user is not None and user["role"] == "admin"

    short = _run(
        ["users", "create", "--username", "root2", "--role", "admin"],
        {"AUDIT_NEW_USER_PASSWORD": "short"},
    )
    assert short.returncode == 2
    assert "password" in short.stderr

    orphan = _run(
        ["users", "create", "--username", "opx", "--role", "operator"],
        {"AUDIT_NEW_USER_PASSWORD": "a-long-password"},
    )
    assert orphan.returncode == 2
    assert "operator_id" in orphan.stderr


def test_help_lists_litestar_and_our_commands() -> None:
    r = _run(["--help"])
    assert r.returncode == 0
    for name in ("run", "db", "users", "routes"):
        assert name in r.stdout
