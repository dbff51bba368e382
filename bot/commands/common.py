"""Helpers the command modules share (no `register`: not a command group itself)."""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from bot.store import Store


@asynccontextmanager
async def open_store(
    settings: Settings, *, seed: bool = True, read_only: bool = False, any_schema: bool = False
) -> AsyncIterator[Store]:
    """The configured database, closed again when the block ends.

    `read_only` for commands that only look: nothing is created or migrated, and a wrong
    JAMSOS_DATA_DIR fails clearly (`DatabaseMissing`) instead of reporting an empty database.
    """
    store = await Store.open(
        settings.database_path, seed=seed, read_only=read_only, any_schema=any_schema
    )
    try:
        yield store
    finally:
        await store.close()


def cli_actor() -> str:
    """Who acts from the shell, as written to the audit log: `cli:<login>`."""
    return f"cli:{getpass.getuser()}"
