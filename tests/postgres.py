"""A PostgreSQL server for the test run: a seeded template database, one clone per test.

Cloning takes a few tenths of a second (the template holds the seeded gazetteer), so the
clones are made one test ahead on a thread (`Clones`): a test takes a database that is ready.

`.ci/run` starts a throwaway cluster and sets JAMSOS_TEST_POSTGRES_URL (and
JAMSOS_REQUIRE_POSTGRES=1: a missing URL then fails the variants); elsewhere, without it, the
PostgreSQL variants skip.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import AsyncIterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bot.config import Settings
from bot.store import Store

# Read at import, before the autouse fixture clears JAMSOS_* from the environment.
URL = os.environ.get("JAMSOS_TEST_POSTGRES_URL") or None
# Required (a missing cluster fails instead of skipping) when the run asks for PostgreSQL:
# `bash .ci/run` starts a throwaway cluster and sets this (unless JAMSOS_CI_POSTGRES=0).
IN_CI = os.environ.get("JAMSOS_REQUIRE_POSTGRES", "").lower() in ("1", "true", "yes")
MISSING = (
    "PostgreSQL variant: set JAMSOS_TEST_POSTGRES_URL"
    " (`.ci/postgres start DIR PORT` starts a cluster and prints it; bash .ci/run does that)"
)
_counter = itertools.count()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())


def new_name(kind: str) -> str:
    return f"jamsos_{kind}_{os.getpid()}_{next(_counter)}"


def create(url: str, name: str, template: str | None = None) -> str:
    clause = f' TEMPLATE "{template}"' if template else ""
    admin(
        url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"{clause}'
    )
    return with_database(url, name)


def drop(url: str, name: str) -> None:
    admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Clones:
    """Fresh databases cloned from `template`, each made while the previous test runs.

    One thread does the server work in order: clone the next database, drop the used ones.
    `close` drops the one made ahead and reports a clone or drop that failed.
    """

    def __init__(self, url: str, template: str):
        self._url = url
        self._template = template
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-clones")
        self._ahead: Future[str] | None = None
        self._drops: list[Future[None]] = []

    def _clone(self) -> str:
        name = new_name("test")
        create(self._url, name, self._template)
        return name

    def take(self) -> str:
        """The name of a new database, a copy of the template no one has used."""
        ready = self._ahead or self._thread.submit(self._clone)
        self._ahead = self._thread.submit(self._clone)
        return ready.result()

    def give_back(self, name: str) -> None:
        self._drops = [f for f in self._drops if not f.done() or f.exception() is not None]
        self._drops.append(self._thread.submit(drop, self._url, name))

    def close(self) -> None:
        try:
            if self._ahead is not None:
                drop(self._url, self._ahead.result())
            for done in self._drops:
                done.result()  # a drop that failed fails the run here
        finally:
            self._thread.shutdown(wait=True)


@contextlib.asynccontextmanager
async def workers(count: int, files: Path) -> AsyncIterator[list[Store]]:
    """`count` stores on the test's PostgreSQL database (JAMSOS_DATABASE_URL, set by the
    `backend` fixture): each one what a worker process opens."""
    target = Settings().database_target
    assert isinstance(target, str) and target.startswith("postgresql://")
    opened: list[Store] = []
    try:
        for _ in range(count):
            opened.append(await Store.open(target, seed=False, files=files))
        yield opened
    finally:
        for store in opened:
            await store.close()
