"""Opening a store by path or URL; read-only opening on both engines (the CLI's reading
commands and backups use it): reads work, every kind of write fails in the engine itself,
nothing is created or migrated."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import psycopg
import pytest

from bot.config import Settings
from bot.store import DatabaseOutdated, Store
from tests import postgres

pytestmark = pytest.mark.own_engines

# What the engine raises for a write on a read-only connection.
READ_ONLY_ERROR: dict[str, type[Exception]] = {
    "sqlite": sqlite3.OperationalError,
    "postgresql": psycopg.errors.ReadOnlySqlTransaction,
}


def target(backend: str, tmp_path: Path, seeded_database: Path) -> Path | str:
    """The test's seeded database: a copy of the SQLite template, or the PostgreSQL clone."""
    if backend == "postgresql":
        return Settings().database_target
    path = tmp_path / "bot.sqlite3"
    shutil.copy(seeded_database, path)
    return path


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
async def test_a_read_only_store_reads_and_writes_nothing(
    backend: str, tmp_path: Path, seeded_database: Path
) -> None:
    where = target(backend, tmp_path, seeded_database)
    store = await Store.open(where, read_only=True, files=tmp_path)
    try:
        assert await store.faqs.active() == []
        assert store.facts.history("jht.rate.employer")  # the shipped facts were read
        refused = READ_ONLY_ERROR[backend]
        with pytest.raises(refused):  # a transaction
            await store.faqs.add(question="q", answer_id="a", source="s", examples=[])
        with pytest.raises(refused):  # a write job (PostgreSQL: the sync pool)
            await store.arrive("telegram", "read-only-1")
        with pytest.raises(refused):  # one statement (PostgreSQL: autocommit)
            await store.telegram.store_callback("payload")
    finally:
        await store.close()
    writable = await Store.open(where, seed=False, files=tmp_path)
    try:
        assert await writable.faqs.active() == []
        assert await writable.people.find("telegram", "read-only-1") is None
        assert await writable.telegram.callback_payload("x") is None
    finally:
        await writable.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_read_only_open_refuses_a_postgresql_database_without_the_schema(
    backend: str, tmp_path: Path
) -> None:
    assert postgres.URL is not None
    name = postgres.new_name("empty")
    url = postgres.create(postgres.URL, name)
    try:
        with pytest.raises(DatabaseOutdated) as refused:
            await Store.open(url, read_only=True, files=tmp_path)
        assert refused.value.found == 0
        with psycopg.connect(url) as conn:  # nothing was created
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            ).fetchone()
        assert tables == (0,)
    finally:
        postgres.drop(postgres.URL, name)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_read_only_open_refuses_an_older_postgresql_schema_unless_told(
    backend: str, tmp_path: Path
) -> None:
    url = Settings().database_target
    assert isinstance(url, str)
    postgres.admin(url, "UPDATE schema_version SET version = 90")
    with pytest.raises(DatabaseOutdated) as refused:
        await Store.open(url, read_only=True, files=tmp_path)
    assert refused.value.found == 90
    store = await Store.open(url, read_only=True, any_schema=True, files=tmp_path)  # a backup
    try:
        assert await store.schema_version() == 90  # not migrated
    finally:
        await store.close()
