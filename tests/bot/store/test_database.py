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
from pathlib import Path

from bot.store import Store

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
