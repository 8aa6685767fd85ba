"""On SQLite every transaction takes the write lock up front, so concurrent writers queue.

A deferred transaction that has read and then wants to write, while another connection
holds the write lock, gets "database is locked" at once — the busy timeout does not apply
(waiting could deadlock). That is how a re-probe request failed while the delivery job
of the same app was recording an attempt.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from piccolo.columns import Text
from piccolo.table import Table

from audit.db import engine_from_url


async def test_a_transaction_that_reads_then_writes_waits_for_another_writer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lock.sqlite"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, note TEXT)")
    setup.execute("INSERT INTO item (note) VALUES ('first')")
    setup.commit()
    setup.close()

    engine = engine_from_url(f"sqlite:///{path}")
    holding = threading.Event()
    release = threading.Event()

    def other_writer() -> None:
        # another connection (a job in the same app) in the middle of its own write
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO item (note) VALUES ('job')")
        holding.set()
        release.wait(10)
        conn.execute("COMMIT")
        conn.close()

    writer = threading.Thread(target=other_writer)
    writer.start()
    assert holding.wait(10)
    loop = asyncio.get_running_loop()
    loop.call_later(0.3, release.set)

    class Item(Table, tablename="item", db=engine):
        note = Text()

    try:
        async with engine.transaction():
            await Item.count()  # a read first: a deferred transaction now holds a shared lock
            await Item.insert(Item(note="request"))  # and could not upgrade it to write
    finally:
        release.set()
        writer.join(10)

    check = sqlite3.connect(path)
    notes = sorted(n for (n,) in check.execute("SELECT note FROM item"))
    check.close()
    assert notes == ["first", "job", "request"]
