"""A PostgreSQL server for the test run: a seeded template database, one clone per test.

`.ci/run` starts a throwaway cluster and sets JAMSOS_TEST_POSTGRES_URL; locally, without it,
the PostgreSQL variants skip (under CI=true they fail instead: the URL must be there).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bot.config import Settings
from bot.store import Store

# Read at import, before the autouse fixture clears JAMSOS_* from the environment.
URL = os.environ.get("JAMSOS_TEST_POSTGRES_URL") or None
# Required (a missing cluster fails instead of skipping) when the run asks for PostgreSQL:
# `JAMSOS_CI_POSTGRES=1 bash .ci/run` starts a throwaway cluster and sets this.
IN_CI = os.environ.get("JAMSOS_REQUIRE_POSTGRES", "").lower() in ("1", "true", "yes")
MISSING = (
    "PostgreSQL variant: set JAMSOS_TEST_POSTGRES_URL"
    " (JAMSOS_CI_POSTGRES=1 bash .ci/run starts a cluster)"
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
