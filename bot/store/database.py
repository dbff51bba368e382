"""aiosqlite lifecycle: WAL, foreign keys, versioned migrations, one writer, online backup."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def _read_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """Two connections to one SQLite file: a reader, and a writer serialized by a lock.

    WAL lets the reader see the last committed state while a write is in progress, so a
    long import never blocks the answers users are waiting for.
    """

    def __init__(self, path: Path, reader: aiosqlite.Connection, writer: aiosqlite.Connection):
        self.path = path
        self._reader = reader
        self._writer = writer
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        writer = await cls._connect(path)
        reader = await cls._connect(path)
        return cls(path, reader, writer)

    @staticmethod
    async def _connect(path: Path) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA busy_timeout=5000")
        return conn

    async def close(self) -> None:
        await self._reader.close()
        await self._writer.close()

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[str]:
        """Apply pending migrations in order; each runs in its own transaction."""
        migrations = await asyncio.to_thread(_read_migrations)
        applied: list[str] = []
        async with self._write_lock:
            cursor = await self._writer.execute("PRAGMA user_version")
            row = await cursor.fetchone()
            current = int(row[0]) if row else 0
            for version, name, sql in migrations:
                if version <= current:
                    continue
                # executescript() commits first, so the script carries its own transaction;
                # PRAGMA user_version cannot take a bound parameter.
                await self._writer.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version:d};\nCOMMIT;"
                )
                applied.append(name)
        return applied

    # Each aiosqlite call is a hop to its worker thread; the helpers below take one hop per
    # statement (execute_fetchall, execute_insert), which matters on the per-message path.

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        return list(await self._reader.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self._reader.execute_fetchall(sql, params)
        return next(iter(rows), None)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Writer]:
        """Serialize writers; commit on success, roll back on any error."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield Writer(self._writer)
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement (atomic on its own); returns the rows changed."""
        async with self._write_lock:
            cursor = await self._writer.execute(sql, params)
            return cursor.rowcount

    async def write_returning(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Run one write statement with a RETURNING clause; returns its first row."""
        async with self._write_lock:
            rows = await self._writer.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def backup(self, target: Path) -> None:
        """Online backup (sqlite3 backup API): consistent while the bot keeps writing."""
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        async with aiosqlite.connect(target) as dest:
            await self._reader.backup(dest)


class Writer:
    """The writer connection, only reachable inside `Database.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection):
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row id."""
        row = await self._conn.execute_insert(sql, params)
        if row is None or row[0] is None:
            raise RuntimeError("INSERT returned no row id")
        return int(row[0])

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        return list(await self._conn.execute_fetchall(sql, params))
