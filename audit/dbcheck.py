"""Is the database there? One answer for the CLI's start-up check and for the web app's 503s.

``check`` connects once with the configured ``AUDIT_DATABASE_URL`` and raises ``ConfigError``
with one line naming the setting and the cause (never the password). ``is_unavailable`` tells
a database that went away (refused, dropped, unmounted, shut down) from a bug in a query, so
that requests answer 503 instead of 500 while it is gone.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

import asyncpg

from audit.errors import ConfigError

SETTING = "AUDIT_DATABASE_URL"
CONNECT_TIMEOUT_S = 10.0
# SQLite errors that mean "the file can't be used now", not "this query is wrong"
_SQLITE_GONE = (
    "unable to open database file",
    "disk i/o error",
    "database is locked",
    "attempt to write a readonly database",
    "file is not a database",
    "database disk image is malformed",
)
# asyncpg: the server is gone, refuses us, or the database does not exist (any more)
_PG_GONE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08, incl. connection lost mid-query
    asyncpg.InvalidCatalogNameError,  # database dropped
    asyncpg.InvalidAuthorizationSpecificationError,  # role or password no longer accepted
    asyncpg.CannotConnectNowError,  # starting up / shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


def safe_url(url: str) -> str:
    """The URL without its password (it is shown in errors and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def sqlite_path(url: str) -> Path:
    path = Path(url.removeprefix("sqlite:///"))
    return path if path.is_absolute() else Path("/") / path


def pg_config(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    config: dict[str, Any] = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "database": parts.path.lstrip("/") or "postgres",
    }
    if parts.password:
        config["password"] = unquote(parts.password)
    return config


def prepare_sqlite_file(path: Path) -> None:
    """Create the database file owner-only (0600) before SQLite creates it world-readable
    (its journal and WAL files take the same mode), and its directory 0700."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)


def _raised_in_driver(tb: TracebackType | None) -> bool:
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__", "")
        if name.startswith(("asyncpg", "aiosqlite")):
            return True
        tb = tb.tb_next
    return False


def _gone(e: BaseException) -> bool:
    if isinstance(e, _PG_GONE):
        return True
    if isinstance(e, asyncpg.InterfaceError):
        return "closed" in str(e) or "closing" in str(e)
    if isinstance(e, sqlite3.DatabaseError):
        return str(e).lower().startswith(_SQLITE_GONE)
    # a socket error inside the driver: refused, reset, unknown host, timed out
    return isinstance(e, OSError) and _raised_in_driver(e.__traceback__)


def unavailable_cause(exc: BaseException) -> BaseException | None:
    """The error (this one or one it came from) saying the database can't be reached now."""
    return next((e for e in _chain(exc) if _gone(e)), None)


def describe(exc: BaseException, url: str) -> str:
    """The cause in a few words, for one line of output (no password, no traceback)."""
    where = url
    if url.startswith(("postgresql://", "postgres://")):
        cfg = pg_config(url)
        where = f"{cfg['host']}:{cfg['port']}"
    if isinstance(exc, socket.gaierror):
        return f"unknown host {where.rpartition(':')[0]!r} ({exc.strerror})"
    if isinstance(exc, ConnectionRefusedError) or (
        isinstance(exc, OSError) and "Connect call failed" in str(exc)
    ):
        return f"connection refused by {where} (is the database server running?)"
    if isinstance(exc, TimeoutError):
        return f"no answer from {where} within {CONNECT_TIMEOUT_S:.0f} s"
    text = " ".join(str(exc).split()) or type(exc).__name__
    password = pg_config(url).get("password") if "://" in url else None
    if password:
        text = text.replace(password, "***")
    return text


async def _check_postgres(url: str) -> None:
    conn = await asyncpg.connect(**pg_config(url), timeout=CONNECT_TIMEOUT_S)
    try:
        await conn.fetchval("SELECT 1")
    finally:
        await conn.close()


def _check_sqlite(url: str) -> None:
    path = sqlite_path(url)
    try:
        prepare_sqlite_file(path)
    except OSError as exc:
        raise ConfigError(SETTING, f"{url}: cannot create {exc.filename}: {exc.strerror}") from None
    conn = sqlite3.connect(path, timeout=5)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # reads the header: "not a database"?
    finally:
        conn.close()


async def check(url: str) -> None:
    """Connect once; ``ConfigError`` naming AUDIT_DATABASE_URL and the cause if that fails."""
    try:
        if url.startswith("sqlite:///"):
            _check_sqlite(url)
        else:
            await _check_postgres(url)
    except ConfigError:
        raise
    except Exception as exc:  # whatever the driver says, as one line
        raise ConfigError(SETTING, f"{safe_url(url)}: {describe(exc, url)}") from None
