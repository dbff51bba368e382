"""SQLite (aiosqlite), the embedded default: WAL, foreign keys, versioned migrations, one
writer, online backup. One process by design: the cross-process locks are process-local."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.store.database import (
    Database,
    DatabaseMissing,
    IntegrityError,
    Params,
    Row,
    SyncWriter,
    Writer,
)

T = TypeVar("T")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SqliteIntegrityError(IntegrityError, sqlite3.IntegrityError):
    """A constraint refused a write: both the store's and sqlite3's exception."""


def read_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class SqliteDatabase(Database):
    """Two connections to one SQLite file: a reader, and a writer serialized by a lock.

    WAL lets the reader see the last committed state while a write is in progress, so a
    long import never blocks the answers users are waiting for.

    Small writes (`execute`, `write_returning`, `write`) are committed in groups: the jobs
    queued while the writer is busy run together, in one transaction and one hop to the
    writer's thread. Under load, the writer's round trips, not SQLite, were the limit.
    """

    dialect = "sqlite"

    def __init__(self, path: Path, reader: aiosqlite.Connection, writer: aiosqlite.Connection):
        self.path = path
        self._reader = reader
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._queued: list[tuple[Callable[[SyncWriter], Any], asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: Path, *, read_only: bool = False) -> SqliteDatabase:
        """Open (creating it if needed) or, `read_only`, open an existing file for reading.

        A read-only open never creates anything: a missing file raises `DatabaseMissing`.
        Whatever fails on the way, no connection is left open (an open aiosqlite
        connection is a thread that keeps the process alive after an error).
        """
        if read_only:
            if not await asyncio.to_thread(path.is_file):
                raise DatabaseMissing(path)
        else:
            await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        opened: list[aiosqlite.Connection] = []
        try:
            for _ in range(1 if read_only else 2):
                opened.append(await cls._connect(path, read_only=read_only))
        except BaseException:
            for conn in opened:
                await conn.close()
            raise
        # Read-only: one connection serves as reader, and writes fail in SQLite itself.
        return cls(path, opened[-1], opened[0])

    @staticmethod
    async def _connect(path: Path, *, read_only: bool = False) -> aiosqlite.Connection:
        if read_only:
            uri = f"{(await asyncio.to_thread(path.resolve)).as_uri()}?mode=ro"
            conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
        else:
            conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            if not read_only:
                await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA busy_timeout=5000")
            # For migrations that turn stored values into digests (0041: WhatsApp message ids).
            await conn.create_function("sha256_hex", 1, _sha256_hex, deterministic=True)
            # A file that is not a database fails here, not on the first query.
            await conn.execute_fetchall("SELECT count(*) FROM sqlite_master")
        except BaseException:
            await conn.close()
            raise
        return conn

    async def close(self) -> None:
        try:
            if self._flusher is not None:
                await asyncio.shield(self._flusher)  # writes already queued are committed
        finally:
            await self._reader.close()
            if self._writer is not self._reader:
                await self._writer.close()

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[str]:
        """Apply pending migrations in order; each runs in its own transaction."""
        migrations = await asyncio.to_thread(read_migrations)
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

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._reader.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self._reader.execute_fetchall(sql, params)
        return next(iter(rows), None)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Writer]:
        """Serialize writers; commit on success, roll back on any error."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteWriter(self._writer)
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    async def write(self, job: Callable[[SyncWriter], T]) -> T:
        """Run a short write job on the writer's thread, atomically; returns what it returns.

        The job is plain synchronous code (it must not block on anything but SQLite). It is
        committed together with the jobs queued beside it, each under its own savepoint: a
        job that raises is undone alone and its caller gets the exception.
        """
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queued.append((job, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._queued:
            async with self._write_lock:
                batch, self._queued = self._queued, []
                try:
                    # aiosqlite runs every call as a function on the connection's own thread;
                    # `_execute` is how its public methods queue one (stable since 0.1, and
                    # the version is pinned). One hop for the whole batch.
                    run_on_thread = cast(
                        Callable[..., Awaitable[list[tuple[bool, Any]]]], self._writer._execute
                    )
                    outcomes = await run_on_thread(
                        _run_batch, self._writer._conn, [job for job, _ in batch]
                    )
                except BaseException as exc:  # the commit failed: nothing of it was written
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    async def backup(self, target: Path) -> None:
        """Online backup (sqlite3 backup API): consistent while the bot keeps writing."""
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        async with aiosqlite.connect(target) as dest:
            await self._reader.backup(dest)

    async def tables(self) -> list[str]:
        rows = await self.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        return [str(row["name"]) for row in rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self.fetch_all("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
        return [str(row["name"]) for row in rows]

    async def foreign_keys(self, table: str) -> list[tuple[str, str, str]]:
        rows = await self.fetch_all("SELECT * FROM pragma_foreign_key_list(?)", (table,))
        return [(str(row["from"]), str(row["table"]), str(row["on_delete"])) for row in rows]

    @asynccontextmanager
    async def person_lock(self, key: str) -> AsyncIterator[None]:
        yield  # one process: the dispatcher's own lock is the whole story

    @asynccontextmanager
    async def singleton(self, name: str) -> AsyncIterator[bool]:
        yield True


def _sha256_hex(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode("utf-8")).hexdigest()


def _run_batch(
    conn: sqlite3.Connection, jobs: Sequence[Callable[[SyncWriter], Any]]
) -> list[tuple[bool, Any]]:
    """On the writer's thread: every job under its own savepoint, then one commit."""
    writer = SqliteSyncWriter(conn)
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for job in jobs:
            conn.execute("SAVEPOINT job")
            try:
                outcomes.append((True, job(writer)))
            except Exception as exc:
                conn.execute("ROLLBACK TO job")
                outcomes.append((False, exc))
            conn.execute("RELEASE job")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


class SqliteSyncWriter:
    """The writer connection inside a `Database.write` job (on the writer's own thread)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql: str, params: Params = ()) -> int:
        try:
            return self._conn.execute(sql, params).rowcount
        except sqlite3.IntegrityError as exc:
            raise SqliteIntegrityError(*exc.args) from exc

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        try:
            return self._conn.executemany(sql, rows).rowcount
        except sqlite3.IntegrityError as exc:
            raise SqliteIntegrityError(*exc.args) from exc

    def exclusive(self, name: str) -> None:
        pass  # one writer connection, jobs run one at a time already

    def attempt(self, sql: str, params: Params = ()) -> int | None:
        try:
            return self._conn.execute(sql, params).rowcount
        except sqlite3.IntegrityError:
            return None

    def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = self.fetch_all(sql, params)
        return rows[0] if rows else None

    def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        # fetchall: a statement left unfinished (RETURNING, say) would hold the savepoint
        try:
            return list(self._conn.execute(sql, params).fetchall())
        except sqlite3.IntegrityError as exc:
            raise SqliteIntegrityError(*exc.args) from exc


class SqliteWriter:
    """The writer connection, only reachable inside `Database.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection):
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            cursor = await self._conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise SqliteIntegrityError(*exc.args) from exc
        return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row id."""
        try:
            row = await self._conn.execute_insert(sql, params)
        except sqlite3.IntegrityError as exc:
            raise SqliteIntegrityError(*exc.args) from exc
        if row is None or row[0] is None:
            raise RuntimeError("INSERT returned no row id")
        return int(row[0])

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        try:
            cursor = await self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise SqliteIntegrityError(*exc.args) from exc
        return cursor.rowcount

    async def exclusive(self, name: str) -> None:
        pass  # BEGIN IMMEDIATE: one writer at a time already

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._conn.execute_fetchall(sql, params))
