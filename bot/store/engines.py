"""Which engine a store runs on, from a path or URL."""

from __future__ import annotations

from pathlib import Path

from bot.store.database import Database
from bot.store.postgres import PostgresDatabase
from bot.store.sqlite import SqliteDatabase


def is_postgres_url(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def sqlite_path(target: Path | str) -> Path:
    if isinstance(target, Path):
        return target
    return (
        Path(target.removeprefix("sqlite://")) if target.startswith("sqlite://") else Path(target)
    )


async def open_database(
    target: Path | str,
    *,
    files: Path | None = None,
    pool_size: int = 8,
    read_only: bool = False,
) -> Database:
    """`target`: a SQLite path (or `sqlite:///path`) or a `postgresql://` URL; `files`: the
    data dir for files kept beside a PostgreSQL database (charts); `read_only`: nothing is
    created, and writes fail in the engine itself."""
    if is_postgres_url(target):
        return await PostgresDatabase.open(
            str(target), files=files, size=pool_size, read_only=read_only
        )
    return await SqliteDatabase.open(sqlite_path(target), read_only=read_only)
