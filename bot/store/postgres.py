"""PostgreSQL (psycopg 3): the store of a deployment with several workers on several machines.

psycopg 3 rather than asyncpg because the store's hot path, `Database.write(job)`, runs plain
synchronous jobs (the SQLite writer's design, which every repository uses): psycopg has both a
sync and an async API over the same rows and adapters, so those jobs run unchanged on a
thread with a pooled sync connection, and the rest is async. Its client-side binding also
types parameters the way SQLite does (a literal is whatever the column needs).

Three pools of connections per process: async for reads and `transaction()`, sync for write
jobs (on this module's own threads), and one connection holding the advisory locks of
`person_lock` and `singleton` (session locks, released when the process dies).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg import AsyncClientCursor, ClientCursor
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from bot.store.database import Database, Params, Row, SyncWriter, Writer
from bot.store.dialect import POSTGRES_PRELUDE, translate, translate_ddl
from bot.store.pg_connection import (
    PgSyncWriter,
    PgWriter,
    adapt,
    configure_async,
    integrity,
    rows,
    sql_params,
)
from bot.store.sqlite import read_migrations

log = logging.getLogger(__name__)
T = TypeVar("T")

# Advisory lock namespaces (the first key of pg_advisory_lock(int, int)).
_MIGRATIONS, _PERSON, _SINGLETON = 7200, 7201, 7202
_ON_DELETE = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}


def _migration_scripts() -> list[tuple[int, str, str]]:
    """SQLite migrations translated, or their hand-written twin in migrations/postgresql/."""
    folder = resources.files("bot.store") / "migrations" / "postgresql"
    scripts = []
    for version, name, sql in read_migrations():
        twin = folder / name
        scripts.append(
            (version, name, twin.read_text("utf-8") if twin.is_file() else translate_ddl(sql))
        )
    return scripts


class PostgresDatabase(Database):
    dialect = "postgresql"
    several_processes = True

    def __init__(
        self,
        url: str,
        path: Path,
        pool: AsyncConnectionPool[Any],
        sync_pool: ConnectionPool[Any],
        locks: psycopg.AsyncConnection[Any],
        threads: int,
    ):
        self.url = url
        self.path = path
        self._pool = pool
        self._sync_pool = sync_pool
        self._locks = locks
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pg-write")
        self._singletons: set[str] = set()

    @classmethod
    async def open(
        cls, url: str, *, files: Path | None = None, size: int = 8, read_only: bool = False
    ) -> PostgresDatabase:
        """`read_only`: every transaction of the pools is read-only (writes fail in the
        server); a database without the bot's schema fails in `check_schema`."""
        common: dict[str, Any] = {"autocommit": True, "row_factory": rows}
        if read_only:
            common["options"] = "-c default_transaction_read_only=on"
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=size,
            kwargs={**common, "cursor_factory": AsyncClientCursor},
            configure=configure_async,
            open=False,
        )
        await pool.open(wait=True, timeout=30)
        sync_pool: ConnectionPool[Any] = ConnectionPool(
            url,
            min_size=1,
            max_size=size,
            kwargs={**common, "cursor_factory": ClientCursor},
            configure=adapt,
            open=False,
        )
        try:
            await asyncio.to_thread(sync_pool.open, True, 30)
            locks = await psycopg.AsyncConnection.connect(url, autocommit=True)
        except BaseException:
            await pool.close()
            await asyncio.to_thread(sync_pool.close)
            raise
        folder = files if files is not None else Path.cwd()
        return cls(url, folder / "jamsosbot.postgresql", pool, sync_pool, locks, size)

    async def close(self) -> None:
        await self._pool.close()
        await asyncio.to_thread(self._sync_pool.close)
        await self._locks.close()
        self._threads.shutdown(wait=True)

    async def schema_version(self) -> int:
        """0 for a database without the bot's schema (a read-only open must say so)."""
        exists = await self.fetch_one("SELECT to_regclass('schema_version') IS NOT NULL")
        if exists is None or not exists[0]:
            return 0
        row = await self.fetch_one("SELECT version FROM schema_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[str]:
        scripts = await asyncio.to_thread(_migration_scripts)
        applied: list[str] = []
        async with self._pool.connection() as conn:
            # Several workers starting at once: one migrates, the others wait for it.
            await conn.execute("SELECT pg_advisory_lock(%s, 0)", (_MIGRATIONS,))
            try:
                async with conn.transaction():
                    await conn.execute(POSTGRES_PRELUDE)
                cursor = await conn.execute("SELECT version FROM schema_version")
                row = await cursor.fetchone()
                current = int(row[0]) if row else 0
                for version, name, sql in scripts:
                    if version <= current:
                        continue
                    async with conn.transaction():
                        await conn.execute(sql)
                        await conn.execute("UPDATE schema_version SET version = %s", (version,))
                    applied.append(name)
            finally:
                await conn.execute("SELECT pg_advisory_unlock(%s, 0)", (_MIGRATIONS,))
        return applied

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(translate(sql), sql_params(params))
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Writer]:
        async with self._pool.connection() as conn, conn.transaction():
            yield PgWriter(conn)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement is atomic on its own: sent in autocommit, one round trip, no thread."""
        async with self._pool.connection() as conn:
            try:
                cursor = await conn.execute(translate(sql), sql_params(params))
            except psycopg.errors.IntegrityError as exc:
                raise integrity(exc) from exc
            return int(cursor.rowcount)

    async def write_returning(self, sql: str, params: Params = ()) -> Row | None:
        async with self._pool.connection() as conn:
            try:
                cursor = await conn.execute(translate(sql), sql_params(params))
            except psycopg.errors.IntegrityError as exc:
                raise integrity(exc) from exc
            rows = await cursor.fetchall() if cursor.description else []
            return rows[0] if rows else None

    async def write(self, job: Callable[[SyncWriter], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._run, job)

    def _run(self, job: Callable[[SyncWriter], T]) -> T:
        with self._sync_pool.connection() as conn, conn.transaction():
            return job(PgSyncWriter(conn))

    async def backup(self, target: Path) -> None:
        """pg_dump in its custom format (restore with pg_restore); consistent while running."""
        dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        process = await asyncio.create_subprocess_exec(
            dump, "--format=custom", f"--file={target}", f"--dbname={self.url}"
        )
        if await process.wait() != 0:
            raise RuntimeError(f"pg_dump failed with exit code {process.returncode}")

    async def tables(self) -> list[str]:
        rows = await self.fetch_all(
            "SELECT table_name AS name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " AND table_name != 'schema_version' ORDER BY table_name"
        )
        return [str(row["name"]) for row in rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self.fetch_all(
            "SELECT column_name AS name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [str(row["name"]) for row in rows]

    async def foreign_keys(self, table: str) -> list[tuple[str, str, str]]:
        rows = await self.fetch_all(
            "SELECT a.attname AS col, r.relname AS ref, c.confdeltype AS del"
            " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
            " JOIN pg_class r ON r.oid = c.confrelid"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " WHERE c.contype = 'f' AND t.relname = ?"
            " AND t.relnamespace = current_schema()::regnamespace ORDER BY c.conname",
            (table,),
        )
        return [(str(r["col"]), str(r["ref"]), _ON_DELETE[str(r["del"])]) for r in rows]

    def skip_locked(self, alias: str) -> str:
        return f" FOR UPDATE OF {alias} SKIP LOCKED"

    async def after_bulk_load(self) -> None:
        rows = await self.fetch_all(
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'"
        )
        async with self.transaction() as tx:
            for row in rows:
                table, column = str(row["t"]), str(row["c"])
                await tx.execute(
                    f'SELECT setval(pg_get_serial_sequence(?, ?), max("{column}")) FROM "{table}"'
                    f' HAVING max("{column}") IS NOT NULL',
                    (table, column),
                )

    async def _try_lock(self, space: int, key: str) -> bool:
        cursor = await self._locks.execute(
            "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (space, key)
        )
        row = await cursor.fetchone()
        return bool(row and row[0])

    async def _try_lock_uncancelled(self, space: int, key: str) -> bool:
        """`_try_lock`, never leaving a lock taken behind a cancelled caller (the session
        would hold it for as long as the process lives)."""
        attempt = asyncio.ensure_future(self._try_lock(space, key))
        try:
            return await asyncio.shield(attempt)
        except asyncio.CancelledError:
            if await attempt:
                await self._unlock(space, key)
            raise

    async def _unlock(self, space: int, key: str) -> None:
        await self._locks.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (space, key))

    @contextlib.asynccontextmanager
    async def person_lock(self, key: str) -> AsyncIterator[None]:
        """A session advisory lock on one shared connection: no connection is held per
        waiting person; a worker polls (2 → 50 ms) only while another worker answers the
        same person, which is rare. A dead worker's locks go with its connection."""
        delay = 0.002
        while not await self._try_lock_uncancelled(_PERSON, key):
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            await asyncio.shield(self._unlock(_PERSON, key))

    @contextlib.asynccontextmanager
    async def singleton(self, name: str) -> AsyncIterator[bool]:
        if name in self._singletons:  # session locks are re-entrant: guard this process too
            yield False
            return
        self._singletons.add(name)
        try:
            got = await self._try_lock(_SINGLETON, name)
            try:
                yield got
            finally:
                if got:
                    await asyncio.shield(self._unlock(_SINGLETON, name))
        finally:
            self._singletons.discard(name)
