"""Migrations, crash safety (kill -9 during writes) and online backup, on real SQLite files."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot.store import Store
from bot.store import sqlite as database
from bot.store.database import IntegrityError, SyncWriter
from bot.store.sqlite import SqliteDatabase as Database

WRITER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from bot.store import Store

    async def main() -> None:
        store = await Store.open(Path(sys.argv[1]))
        user = await store.people.touch("console", "writer")
        n = 0
        while True:
            await store.questions.log(
                user_id=user.id, channel="console", text=f"q{n}", intent="fallback",
                score=0.0, answered=False,
            )
            n += 1
            print(n, flush=True)

    asyncio.run(main())
    """
)


def _inspect(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Read the file with the sqlite3 shell's library, as a DBA would (not through the store)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def _schema(path: Path) -> list[tuple[object, ...]]:
    return _inspect(path, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY 1")


async def test_migrations_run_once_and_rerunning_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store = await Store.open(path)
    version = await store.schema_version()
    schema = _schema(path)
    assert version >= 2
    assert await store.migrate() == []
    assert await store.seed() == []  # shipped data unchanged: nothing reloaded
    await store.close()

    reopened = await Store.open(path)
    try:
        assert await reopened.schema_version() == version
        assert _schema(path) == schema
    finally:
        await reopened.close()


ROOT = Path(__file__).resolve().parents[3]


async def _open_and_close(path: Path) -> None:
    await (await Store.open(path)).close()


async def _rows_after_crash(path: Path) -> int:
    store = await Store.open(path)
    try:
        user = await store.people.find("console", "writer")
        assert user is not None
        return len(await store.questions.unanswered(limit=100_000))
    finally:
        await store.close()


def test_database_survives_kill_9_during_writes(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    asyncio.run(_open_and_close(path))  # migrated and seeded before the writer starts
    committed = 0
    with subprocess.Popen(
        [sys.executable, "-c", WRITER_SCRIPT, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            committed = int(line)
            if committed >= 200:
                break
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert committed >= 200

    assert _inspect(path, "PRAGMA integrity_check") == [("ok",)]
    # Every write reported as committed is there after the crash.
    assert asyncio.run(_rows_after_crash(path)) >= committed


@pytest.mark.own_engines  # SQLite only: a PostgreSQL backup is pg_dump's (docs/scale.md)
async def test_online_backup_is_a_complete_database(store: Store, tmp_path: Path) -> None:
    user = await store.people.touch("telegram", "42")
    await store.people.set_locale(user.id, "en")
    target = tmp_path / "backups" / "copy.sqlite3"
    target.parent.mkdir()
    await store.backup(target)

    copy = await Store.open(target, seed=False)
    try:
        found = await copy.people.find("telegram", "42")
        assert found is not None and found.locale == "en"
        assert await copy.schema_version() == await store.schema_version()
    finally:
        await copy.close()


async def _scratch(tmp_path: Path) -> Database:
    db = await Database.open(tmp_path / "scratch.sqlite3")
    await db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
    return db


async def test_writes_queued_together_share_one_commit_and_each_gets_its_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = await _scratch(tmp_path)
    batches: list[int] = []
    real_run_batch = database._run_batch

    def counting(conn: sqlite3.Connection, jobs: Sequence[Callable[[SyncWriter], Any]]) -> Any:
        batches.append(len(jobs))
        return real_run_batch(conn, jobs)

    monkeypatch.setattr(database, "_run_batch", counting)
    try:
        inserts = [db.execute("INSERT INTO t VALUES (?, ?)", (f"k{i}", i)) for i in range(50)]
        returning = db.write_returning("INSERT INTO t VALUES ('r', 7) RETURNING v")
        reading = db.write(lambda tx: tx.fetch_all("SELECT k FROM t WHERE v < 3 ORDER BY v"))
        counts, returned, rows = await asyncio.gather(asyncio.gather(*inserts), returning, reading)
        assert counts == [1] * 50
        assert returned is not None and returned["v"] == 7
        assert [row["k"] for row in rows] == ["k0", "k1", "k2"]  # sees the batch so far
        assert sum(batches) == 52
        assert len(batches) < 10  # not one hop and one commit per write
        row = await db.fetch_one("SELECT count(*) FROM t")
        assert row is not None and row[0] == 51
    finally:
        await db.close()


async def test_a_failing_write_is_undone_alone(tmp_path: Path) -> None:
    db = await _scratch(tmp_path)
    try:
        await db.execute("INSERT INTO t VALUES ('taken', 1)")

        def half_then_fail(tx: SyncWriter) -> None:
            tx.execute("INSERT INTO t VALUES ('half', 2)")
            tx.execute("INSERT INTO t VALUES ('taken', 3)")  # primary key taken

        outcomes = await asyncio.gather(
            db.execute("INSERT INTO t VALUES ('before', 4)"),
            db.write(half_then_fail),
            db.execute("INSERT INTO t VALUES ('after', 5)"),
            return_exceptions=True,
        )
        assert outcomes[0] == 1 and outcomes[2] == 1
        assert isinstance(outcomes[1], sqlite3.IntegrityError)
        rows = await db.fetch_all("SELECT k FROM t ORDER BY k")
        assert [row["k"] for row in rows] == ["after", "before", "taken"]  # no 'half'
    finally:
        await db.close()


async def test_closing_commits_the_writes_already_queued(tmp_path: Path) -> None:
    """Writes queued behind a running transaction are committed before the file closes."""
    path = tmp_path / "scratch.sqlite3"
    db = await _scratch(tmp_path)
    release = asyncio.Event()

    async def long_transaction() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES ('import', 0)")
            await release.wait()

    holder = asyncio.create_task(long_transaction())
    await asyncio.sleep(0.01)  # the transaction holds the writer
    pending = [
        asyncio.ensure_future(db.execute("INSERT INTO t VALUES (?, ?)", (f"k{i}", i)))
        for i in range(20)
    ]
    await asyncio.sleep(0.01)  # queued, waiting for the writer
    closing = asyncio.create_task(db.close())
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(holder, closing)
    assert [task.result() for task in pending] == [1] * 20
    assert _inspect(path, "SELECT count(*) FROM t") == [(21,)]


async def test_a_refused_write_in_a_transaction_is_the_stores_integrity_error(
    store: Store,
) -> None:
    """Either engine, any statement of a transaction: callers catch one exception type."""
    user = await store.people.touch("console", "dup")
    insert = (
        "INSERT INTO tickets (user_id, channel, chat_id, locale, question, status,"
        " created_at, updated_at) VALUES (?, 'console', 'dup', 'id', 'x', 'open', '', '')"
    )
    async with store.database.transaction() as tx:
        await tx.insert(insert, (user.id,))
    for statement in ("insert", "executemany"):
        with pytest.raises(IntegrityError):
            async with store.database.transaction() as tx:
                if statement == "insert":
                    await tx.insert(insert, (user.id,))
                else:
                    await tx.executemany(insert, [(user.id,)])
