"""Start-up and configuration, through the real CLI: a wrong setting is one line naming it and
the cause (no traceback, no password, non-zero exit); AUDIT_VAR_DIR holds the default SQLite
file; the SQLite file and the development signing key are owner-only (issue 16 item 14)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.integration.system.live import audit, env, free_port, mode

PASSWORD = "s3cret-Pw"


def _one_line_error(r: subprocess.CompletedProcess[str], *needles: str) -> str:
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert "Traceback" not in out and PASSWORD not in out, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# {tmp}: the test's directory; {port}: a free port nothing listens on
WRONG_URLS = [
    pytest.param(
        "postgresql://postgres:" + PASSWORD + "@127.0.0.1:{port}/x",
        "connection refused",
        id="pg-refused",
    ),
    pytest.param(
        "postgresql://postgres:" + PASSWORD + "@127.0.0.1:5432/sqa_no_such_db",
        'database "sqa_no_such_db" does not exist',
        id="pg-no-database",
    ),
    pytest.param(
        "postgresql://sqa_no_role:" + PASSWORD + "@127.0.0.1:5432/postgres",
        "sqa_no_role",
        id="pg-no-role",
    ),
    pytest.param(
        "postgresql://postgres:" + PASSWORD + "@no-such-host.invalid:5432/x",
        "unknown host",
        id="pg-unknown-host",
    ),
    pytest.param("sqlite:///{tmp}/a-file/sub/audit.sqlite", "cannot create", id="sqlite-not-a-dir"),
    pytest.param("mysql://root:" + PASSWORD + "@127.0.0.1/x", "sqlite:///", id="scheme"),
]


def _wrong_url(tmp_path: Path, command: list[str], url: str, cause: str) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    url = url.format(tmp=tmp_path, port=free_port())
    settings = env(AUDIT_DATABASE_URL=url, AUDIT_VAR_DIR=str(tmp_path / "var"))
    line = _one_line_error(audit(command, settings), "AUDIT_DATABASE_URL", cause)
    assert line.startswith("error: AUDIT_DATABASE_URL: ")


@pytest.mark.parametrize(("url", "cause"), WRONG_URLS)
def test_wrong_database_url_db_upgrade(tmp_path: Path, url: str, cause: str) -> None:
    _wrong_url(tmp_path, ["db", "upgrade"], url, cause)


# `audit run` goes through the same check: one refused server, one missing database is enough
@pytest.mark.parametrize(("url", "cause"), [WRONG_URLS[0], WRONG_URLS[1], WRONG_URLS[4]])
def test_wrong_database_url_run(tmp_path: Path, url: str, cause: str) -> None:
    _wrong_url(tmp_path, ["run", "--port", str(free_port())], url, cause)


def test_a_bad_setting_names_its_variable(tmp_path: Path) -> None:
    settings = env(AUDIT_VAR_DIR=str(tmp_path), AUDIT_TIMEZONE="Mars/Olympus_Mons")
    _one_line_error(audit(["db", "upgrade"], settings), "AUDIT_TIMEZONE", "Mars/Olympus_Mons")


def test_busy_demo_chat_port_names_its_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        settings = env(
            AUDIT_VAR_DIR=str(tmp_path),
            AUDIT_DEMO="true",
            AUDIT_AUTO_MIGRATE="true",
            AUDIT_DEMO_CHAT_PORT=str(busy),
        )
        r = audit(["run", "--port", str(free_port())], settings)
    _one_line_error(r, "AUDIT_DEMO_CHAT_PORT", str(busy), "in use")


def test_busy_server_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        r = audit(["run", "--port", str(busy)], env(AUDIT_VAR_DIR=str(tmp_path)))
    _one_line_error(r, "--port", str(busy), "in use")


def test_var_dir_holds_the_default_sqlite_file_created_owner_only(tmp_path: Path) -> None:
    var = tmp_path / "elsewhere"
    r = audit(["db", "upgrade"], env(AUDIT_VAR_DIR=str(var)))
    assert r.returncode == 0, r.stderr
    database = var / "audit.sqlite"
    assert f"sqlite:///{database}" in r.stdout
    assert database.is_file() and mode(database) == 0o600
    assert mode(var) == 0o700
    assert audit(["db", "status"], env(AUDIT_VAR_DIR=str(var))).returncode == 0


def test_development_signing_key_is_owner_only(tmp_path: Path) -> None:
    from audit.notices import devca

    creds = devca.ensure_dev_credentials(tmp_path / "signing")
    assert mode(creds.p12_path) == 0o600
    assert mode(creds.p12_path.with_name(devca.PASS_FILE)) == 0o600
    assert mode(tmp_path / "signing") == 0o700  # nobody else may even list it
