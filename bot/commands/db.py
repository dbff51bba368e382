"""`db upgrade`, `db backup PATH`: database maintenance."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands.common import open_store
from bot.config import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db_parser = sub.add_parser("db", help="database maintenance")
    db_sub = db_parser.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations and load shipped data")
    upgrade.set_defaults(func=_upgrade)
    backup = db_sub.add_parser("backup", help="online backup, safe while the bot runs")
    backup.add_argument("path", type=Path)
    backup.set_defaults(func=_backup)


async def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        loaded = await store.seed()
        version = await store.schema_version()
    print(f"schema version {version}; data loaded: {', '.join(loaded) or 'none changed'}")
    return 0


async def _backup(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, read_only=True, any_schema=True) as store:
        await store.backup(args.path)
    print(f"backup written to {args.path}")
    return 0
