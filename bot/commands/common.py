"""Helpers the command modules share (no `register`: not a command group itself)."""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from bot.store import Store


@asynccontextmanager
async def open_store(settings: Settings, *, seed: bool = True) -> AsyncIterator[Store]:
    """The configured database, closed again when the block ends."""
    store = await Store.open(
        settings.database_target,
        seed=seed,
        files=settings.data_dir,
        pool_size=settings.database_pool_size,
    )
    try:
        yield store
    finally:
        await store.close()


def cli_actor() -> str:
    """Who acts from the shell, as written to the audit log: `cli:<login>`."""
    return f"cli:{getpass.getuser()}"
