"""psycopg pieces of the PostgreSQL engine: rows like sqlite3.Row, numeric loading, and the
connections handed to repositories (`Writer` in a transaction, `SyncWriter` in a write job)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.rows import RowMaker

from bot.store.database import IntegrityError, Params, Row
from bot.store.dialect import translate

EXCLUSIVE = 7203  # advisory lock namespace of Writer.exclusive


class PgRow:
    """A row readable like sqlite3.Row: by position or by column name."""

    __slots__ = ("_index", "_names", "_values")

    def __init__(self, values: Sequence[Any], names: list[str], index: dict[str, int]):
        self._values = values
        self._names = names
        self._index = index

    def __getitem__(self, key: int | str, /) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Any:
        return iter(self._values)

    def keys(self) -> list[str]:
        return list(self._names)

    def __repr__(self) -> str:
        return f"PgRow({dict(zip(self._names, self._values, strict=True))!r})"


def rows(cursor: Any) -> RowMaker[PgRow]:
    names = [column.name for column in cursor.description or ()]
    index = {name: i for i, name in enumerate(names)}

    def make(values: Sequence[Any]) -> PgRow:
        return PgRow(values, names, index)

    return make


class _NumericLoader(Loader):
    """numeric (what sum() of integers gives) → int when whole, float otherwise, as SQLite."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return float(text) if "." in text or "e" in text.lower() else int(text)


def adapt(conn: psycopg.Connection[Any] | psycopg.AsyncConnection[Any]) -> None:
    conn.adapters.register_loader("numeric", _NumericLoader)


async def configure_async(conn: psycopg.AsyncConnection[Any]) -> None:
    adapt(conn)


def sql_params(params: Params) -> Params:
    return params if isinstance(params, dict) else tuple(params)


def integrity(exc: psycopg.errors.IntegrityError) -> IntegrityError:
    return IntegrityError(str(exc))


class PgSyncWriter:
    def __init__(self, conn: psycopg.Connection[Any]):
        self._conn = conn

    def execute(self, sql: str, params: Params = ()) -> int:
        try:
            return self._conn.execute(translate(sql), sql_params(params)).rowcount
        except psycopg.errors.IntegrityError as exc:
            raise integrity(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        cursor = self._conn.cursor()
        try:
            cursor.executemany(translate(sql), [sql_params(row) for row in rows])
        except psycopg.errors.IntegrityError as exc:
            raise integrity(exc) from exc
        return max(cursor.rowcount, 0)

    def exclusive(self, name: str) -> None:
        self._conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (EXCLUSIVE, name))

    def attempt(self, sql: str, params: Params = ()) -> int | None:
        try:
            with self._conn.transaction():  # a savepoint
                return self._conn.execute(translate(sql), sql_params(params)).rowcount
        except psycopg.errors.IntegrityError:
            return None

    def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = self.fetch_all(sql, params)
        return rows[0] if rows else None

    def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            cursor = self._conn.execute(translate(sql), sql_params(params))
        except psycopg.errors.IntegrityError as exc:
            raise integrity(exc) from exc
        return list(cursor.fetchall()) if cursor.description else []


class PgWriter:
    def __init__(self, conn: psycopg.AsyncConnection[Any]):
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            cursor = await self._conn.execute(translate(sql), sql_params(params))
        except psycopg.errors.IntegrityError as exc:
            raise integrity(exc) from exc
        return cursor.rowcount

    async def exclusive(self, name: str) -> None:
        await self._conn.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (EXCLUSIVE, name)
        )

    async def insert(self, sql: str, params: Params = ()) -> int:
        row = await self.fetch_one(f"{sql.rstrip().rstrip(';')} RETURNING id", params)
        if row is None or row[0] is None:
            raise RuntimeError("INSERT returned no row id")
        return int(row[0])

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        cursor = self._conn.cursor()
        try:
            await cursor.executemany(translate(sql), [sql_params(row) for row in rows])
        except psycopg.errors.IntegrityError as exc:
            raise integrity(exc) from exc
        return max(cursor.rowcount, 0)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            cursor = await self._conn.execute(translate(sql), sql_params(params))
        except psycopg.errors.IntegrityError as exc:
            raise integrity(exc) from exc
        return list(await cursor.fetchall()) if cursor.description else []
