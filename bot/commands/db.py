"""`db upgrade`, `db backup PATH`, `db copy SOURCE TARGET`: database maintenance."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path

from bot.commands.common import cli_text, help_text, open_store
from bot.config import Settings
from bot.store import Store
from bot.store.copying import CopyRefused, copy_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db_parser = sub.add_parser("db", help=help_text("cli.help.db.1"))
    db_sub = db_parser.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help=help_text("cli.help.db.2"))
    upgrade.set_defaults(func=_upgrade)
    backup = db_sub.add_parser("backup", help=help_text("cli.help.db.3"))
    backup.add_argument("path", type=Path)
    backup.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help=help_text("cli.help.db.4"),
    )
    backup.set_defaults(func=_backup)
    copy = db_sub.add_parser(
        "copy",
        help=help_text("cli.help.db.5"),
    )
    copy.add_argument("source", help=help_text("cli.help.db.6"))
    copy.add_argument("target", help=help_text("cli.help.db.7"))
    copy.set_defaults(func=_copy)


async def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        loaded = await store.seed()
        version = await store.schema_version()
    say = cli_text(settings.default_locale)
    names = ", ".join(loaded) or say("cli.db.none_changed")
    print(say("cli.db.upgraded", version=version, loaded=names))
    return 0


async def _backup(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    if args.keep is not None and args.keep < 1:
        print(say("cli.db.keep_positive"), file=sys.stderr)
        return 2
    async with open_store(settings, read_only=True, any_schema=True) as store:
        await store.backup(args.path)
    print(say("cli.db.backup_written", path=args.path))
    if args.keep is not None:
        removed = await asyncio.to_thread(prune_backups, args.path, args.keep)
        print(say.plural("cli.db.pruned", len(removed), count=len(removed), keep=args.keep))
    return 0


def prune_backups(latest: Path, keep: int) -> list[Path]:
    """Delete the older siblings of `latest` (same prefix before the first digit, same
    suffix), keeping the newest `keep` of them including `latest`; returns what went."""
    prefix = re.split(r"\d", latest.name, maxsplit=1)[0]
    if not prefix or latest.suffix == "":
        return []  # no pattern to match: never guess which files are backups
    siblings = [
        path
        for path in latest.parent.iterdir()
        if path.is_file() and path.name.startswith(prefix) and path.suffix == latest.suffix
    ]
    siblings.sort(key=lambda path: (path == latest, path.stat().st_mtime, path.name), reverse=True)
    doomed = siblings[keep:]
    for path in doomed:
        path.unlink()
    return doomed


async def _copy(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    source = await Store.open(args.source, seed=False, files=settings.data_dir)
    try:
        target = await Store.open(args.target, seed=False, files=settings.data_dir)
        try:
            copied = await copy_database(source.database, target.database)
        except CopyRefused as exc:
            print(say("cli.db.copy_refused", reason=str(exc)), file=sys.stderr)
            return 1
        finally:
            await target.close()
    finally:
        await source.close()
    for table, rows in copied.items():
        print(say("cli.db.copy_table", table=table, rows=rows))
    print(say("cli.db.copied", rows=sum(copied.values()), tables=len(copied)))
    return 0
