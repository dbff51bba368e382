"""The database a store runs on: one interface, two engines.

`bot.store.engines.open_database(target)` picks the engine: a path or `sqlite:///path` →
SQLite (`bot.store.sqlite`, the embedded default), `postgresql://…` → PostgreSQL
(`bot.store.postgres`). Repositories see
only `Database`, `Writer` (inside `transaction()`), `SyncWriter` (inside a `write` job) and
`Row`, and write their SQL once, in SQLite's dialect; `bot.store.dialect` translates it.

Across processes (several workers on one PostgreSQL database) the engine also gives the
coordination the bot needs: `person_lock` (one message at a time per person) and `singleton`
(a job such as the broadcast scheduler runs in one process at a time). On SQLite, which is one
process by design, both are process-local.
"""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
Params = Sequence[Any] | dict[str, Any]


class Row(Protocol):
    """A result row: by position (`row[0]`) or by column name (`row["id"]`)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> list[str]: ...


class SyncWriter(Protocol):
    """The connection inside a `Database.write` job (plain synchronous code on a thread)."""

    def execute(self, sql: str, params: Params = ()) -> int: ...

    def executemany(self, sql: str, rows: Iterable[Params]) -> int: ...

    def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    def exclusive(self, name: str) -> None:
        """Make this job the only one named `name` until it ends, across processes (see
        `Writer.exclusive`)."""
        ...

    def attempt(self, sql: str, params: Params = ()) -> int | None:
        """`execute`, or None when a constraint refused the statement; the job goes on
        (PostgreSQL: under a savepoint, since a failed statement spoils its transaction)."""
        ...


class Writer(Protocol):
    """The connection inside `Database.transaction()`."""

    async def execute(self, sql: str, params: Params = ()) -> int: ...

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT into a table with an `id` key and return the new id."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def exclusive(self, name: str) -> None:
        """Make this transaction the only one named `name` until it ends, across processes:
        call it first in a read-modify-write transaction (SQLite: every write transaction
        is exclusive already; PostgreSQL: a transaction-level advisory lock)."""
        ...


class IntegrityError(Exception):
    """A constraint refused a write (unique, foreign key, check), on either engine."""


class DatabaseMissing(FileNotFoundError):
    """A command that only reads found no database at the configured path."""

    def __init__(self, path: Path):
        super().__init__(f"no database at {path}")
        self.path = path


class DatabaseOutdated(RuntimeError):
    """The database's schema is older (or newer) than this code's migrations."""

    def __init__(self, path: Path, found: int, expected: int):
        super().__init__(f"database {path} has schema {found}, this version needs {expected}")
        self.path, self.found, self.expected = path, found, expected


_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def latest_migration() -> int:
    """The schema version this code expects (the number of the newest migration; both
    engines number their migrations alike)."""
    folder = resources.files("bot.store") / "migrations"
    versions = [int(m.group(1)) for e in folder.iterdir() if (m := _MIGRATION_NAME.match(e.name))]
    return max(versions, default=0)


async def check_schema(db: Database, *, any_schema: bool = False) -> None:
    """Raise `DatabaseOutdated` unless `db` has the schema of the newest migration
    (`any_schema`: unless it has none at all, i.e. is not a jamsosbot database)."""
    expected = await asyncio.to_thread(latest_migration)
    found = await db.schema_version()
    if found == 0 or (found != expected and not any_schema):
        raise DatabaseOutdated(db.path, found, expected)


class Database(ABC):
    """What the repositories use; see `bot.store.sqlite` and `bot.store.postgres`."""

    #: "sqlite" or "postgresql"
    dialect: str
    #: whether several processes may share this database (PostgreSQL; SQLite: one process)
    several_processes: bool = False
    #: a file in the data dir: SQLite's own file, or where files kept beside the database go
    path: Path

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def schema_version(self) -> int: ...

    @abstractmethod
    async def migrate(self) -> list[str]:
        """Apply pending migrations in order, each in its own transaction."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    @abstractmethod
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Writer]:
        """Commit on success, roll back on any error."""

    @abstractmethod
    async def write(self, job: Callable[[SyncWriter], T]) -> T:
        """Run a short synchronous write job atomically; returns what it returns."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement (atomic on its own); returns the rows changed."""
        return await self.write(lambda tx: tx.execute(sql, params))

    async def write_returning(self, sql: str, params: Params = ()) -> Row | None:
        """Run one write statement with a RETURNING clause; returns its first row."""
        return await self.write(lambda tx: tx.fetch_one(sql, params))

    @abstractmethod
    async def backup(self, target: Path) -> None: ...

    @abstractmethod
    async def tables(self) -> list[str]:
        """The application's tables (not the engine's own), by name."""

    @abstractmethod
    async def columns(self, table: str) -> list[str]:
        """The column names of `table`, in order."""

    @abstractmethod
    async def foreign_keys(self, table: str) -> list[tuple[str, str, str]]:
        """(column, referenced table, on-delete action) of every foreign key of `table`."""

    def skip_locked(self, alias: str) -> str:
        """The clause ending a SELECT that claims rows: PostgreSQL locks them and passes over
        rows another transaction holds (` FOR UPDATE OF o SKIP LOCKED`); SQLite: nothing
        (its writers are serialized)."""
        return ""

    async def after_bulk_load(self) -> None:  # noqa: B027 - nothing to do on most engines
        """After rows were copied in with their ids: let new ids continue after them."""

    @abstractmethod
    def person_lock(self, key: str) -> AbstractAsyncContextManager[None]:
        """Held while one person's message is answered, across every process on the
        database; the caller serializes its own tasks first (this is the cross-process part)."""

    @abstractmethod
    def singleton(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Yields True in the one process that may run job `name` now, False elsewhere."""
