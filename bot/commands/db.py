"""`db upgrade`, `db backup PATH`, `db copy SOURCE TARGET`: database maintenance."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands.common import open_store
from bot.config import Settings
from bot.store import Store
from bot.store.copying import CopyRefused, copy_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db_parser = sub.add_parser("db", help="database maintenance")
    db_sub = db_parser.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations and load shipped data")
    upgrade.set_defaults(func=_upgrade)
    backup = db_sub.add_parser("backup", help="online backup, safe while the bot runs")
    backup.add_argument("path", type=Path)
    backup.set_defaults(func=_backup)
    copy = db_sub.add_parser(
        "copy",
        help="copy every row into a new, empty database (SQLite ⇄ PostgreSQL); stop the bot first",
    )
    copy.add_argument("source", help="sqlite:///path/jamsosbot.sqlite3 or postgresql://…")
    copy.add_argument("target", help="postgresql://… or sqlite:///path (created if missing)")
    copy.set_defaults(func=_copy)


async def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        loaded = await store.seed()
        version = await store.schema_version()
    print(f"schema version {version}; data loaded: {', '.join(loaded) or 'none changed'}")
    return 0


async def _backup(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        await store.backup(args.path)
    print(f"backup written to {args.path}")
    return 0


async def _copy(args: argparse.Namespace, settings: Settings) -> int:
    source = await Store.open(args.source, seed=False, files=settings.data_dir)
    try:
        target = await Store.open(args.target, seed=False, files=settings.data_dir)
        try:
            copied = await copy_database(source.database, target.database)
        except CopyRefused as exc:
            print(f"not copied: {exc}")
            return 1
        finally:
            await target.close()
    finally:
        await source.close()
    for table, rows in copied.items():
        print(f"{table}: {rows}")
    print(f"copied {sum(copied.values())} rows in {len(copied)} tables")
    return 0
